/* SPDX-License-Identifier: Apache-2.0 */
// The public header compiles on its own as C++17 (-pedantic -Werror).
#include <idrisk/idrisk.h>

int idr_headertest_cxx();
int idr_headertest_cxx() {
    idr_error err{};
    return err.code + IDR_OK;
}
