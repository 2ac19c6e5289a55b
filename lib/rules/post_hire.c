/*
 * post_hire.c - the "post_hire" indicator family. Filled in by its issue; see lib/internal.h for the
 * evaluator contract.
 */
#include "internal.h"

static const idr__indicator *const indicators[] = {NULL};

const idr__family idr__family_post_hire = {"post_hire", indicators};
