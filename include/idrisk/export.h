/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export.h - symbol visibility and attribute macros for idrisk's public API.
 * Included by idrisk.h; not meant to be included on its own.
 */
#ifndef IDRISK_EXPORT_H
#define IDRISK_EXPORT_H

#if defined(IDR_STATIC)
    #define IDR_API
#elif defined(_WIN32)
    #if defined(IDR_BUILDING)
        #define IDR_API __declspec(dllexport)
    #else
        #define IDR_API __declspec(dllimport)
    #endif
#elif defined(__GNUC__)
    #define IDR_API __attribute__((visibility("default")))
#else
    #define IDR_API
#endif

#if defined(__GNUC__) && !defined(IDR_NO_ATTRIBUTES)
    #define IDR_NODISCARD       __attribute__((warn_unused_result))
    #define IDR_DEPRECATED(msg) __attribute__((deprecated(msg)))
#else
    #define IDR_NODISCARD
    #define IDR_DEPRECATED(msg)
#endif

#endif /* IDRISK_EXPORT_H */
