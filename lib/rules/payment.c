/*
 * payment.c - the "payment" indicator family. Filled in by its issue; see lib/internal.h for the
 * evaluator contract.
 */
#include "internal.h"

static const idr__indicator *const indicators[] = {NULL};

const idr__family idr__family_payment = {"payment", indicators};
