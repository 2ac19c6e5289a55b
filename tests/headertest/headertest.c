/* SPDX-License-Identifier: Apache-2.0 */
/* The public header compiles on its own as strict C11 (-pedantic -Werror). */
#include <idrisk/idrisk.h>

int idr_headertest_c(void);
int idr_headertest_c(void) {
    idr_error err;
    err.code = IDR_OK;
    return err.code + IDR_VERSION_NUMBER * 0;
}
