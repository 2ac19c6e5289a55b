/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rules_payment.c - pay_crypto_request, pay_third_party_account and
 * pay_frequent_changes (lib/rules/payment.c), and the crypto + third-party combination.
 */
#include "../rules_helpers.h"

TestSuite(rules_payment, .init = rh_setup, .fini = rh_teardown);

Test(rules_payment, stablecoin_request_fires) {
    cJSON *r = rh_score(J({
        "candidate_id" : "p1",
        "payment" : {
            "currency" : "USDT",
            "crypto_wallets" : [ {"chain" : "tron", "address" : "TXexample1"} ]
        }
    }));
    const char *a = rh_ev(r, "pay_crypto_request", "asked");
    rh_assert_has(a, "currency USDT");
    rh_assert_has(a, "1 wallet (tron)");
    char *text = cJSON_PrintUnformatted(r);
    cr_assert_null(strstr(text, "TXexample1"), "wallet address leaked into the result");
    free(text);
}

Test(rules_payment, bank_usd_is_clean_absent_not_evaluated) {
    cJSON *r = rh_score(J({
        "candidate_id" : "p1",
        "payment" : {"method" : "bank_account", "currency" : "USD"}
    }));
    cr_assert(rh_clean(r, "pay_crypto_request"));
    r = rh_score(J({"candidate_id" : "p1"}));
    rh_assert_has(rh_not_evaluated(r, "pay_crypto_request"), "no payment");
    cr_assert_not_null(rh_not_evaluated(r, "pay_third_party_account"));
    cr_assert_not_null(rh_not_evaluated(r, "pay_frequent_changes"));
}

Test(rules_payment, other_persons_account_fires) {
    cJSON *r = rh_score(J({
        "candidate_id" : "p2",
        "identity" : {"full_name" : "Dana Reyes"},
        "payment" : {"method" : "bank_account", "account_holder_name" : "Morgan Blake"}
    }));
    rh_assert_has(rh_ev(r, "pay_third_party_account", "problem"),
                  "account holder Morgan Blake is not the candidate");
    rh_assert_has(rh_detail(r, "pay_third_party_account"), "Dana Reyes");
}

Test(rules_payment, payoneer_in_own_name_is_clean) {
    cJSON *r = rh_score(J({
        "candidate_id" : "p2",
        "identity" : {"full_name" : "Dana Reyes"},
        "payment" : {
            "method" : "payoneer",
            "account_holder_name" : "DANA REYES",
            "account_country" : "PT"
        }
    }));
    cr_assert(rh_clean(r, "pay_third_party_account"));
    cr_assert(rh_clean(r, "pay_crypto_request"));
}

Test(rules_payment, young_company_fires_declared_eor_suppresses) {
    cJSON *r = rh_score(J({
        "candidate_id" : "p3",
        "as_of" : "2025-06-01T00:00:00Z",
        "identity" : {"full_name" : "Dana Reyes"},
        "engagement" : {"type" : "contractor"},
        "payment" : {
            "payee_type" : "company",
            "payee_company" : {"name" : "Hopeful Tech LLC", "formed_on" : "2025-03-01"}
        }
    }));
    rh_assert_has(rh_ev(r, "pay_third_party_account", "problem"), "formed 2025-03-01");
    r = rh_score(J({
        "candidate_id" : "p3",
        "as_of" : "2025-06-01T00:00:00Z",
        "identity" : {"full_name" : "Dana Reyes"},
        "engagement" :
            {"type" : "eor_contractor", "staffing_firm" : "Example Global Employer Ltd"},
        "payment" : {
            "payee_type" : "company",
            "payee_company" :
                {"name" : "Example Global Employer Ltd", "formed_on" : "2025-03-01"}
        }
    }));
    cr_assert_null(rh_reason(r, "pay_third_party_account"));
    rh_assert_has(rh_suppressed(r, "pay_third_party_account"),
                  "declared employer-of-record arrangement: Example Global Employer Ltd");
}

Test(rules_payment, crypto_to_third_party_combination) {
    cJSON *r = rh_score(J({
        "candidate_id" : "p4",
        "identity" : {"full_name" : "Dana Reyes"},
        "payment" : {
            "method" : "crypto",
            "currency" : "USDC",
            "account_holder_name" : "Jordan Pike"
        }
    }));
    cr_assert_not_null(rh_reason(r, "pay_crypto_request"));
    cr_assert_not_null(rh_reason(r, "pay_third_party_account"));
    rh_assert_has(rh_detail(r, "combo_crypto_third_party"), "pay_crypto_request");
}

Test(rules_payment, frequent_changes) {
    cJSON *r = rh_score(J({
        "candidate_id" : "p5",
        "payment" : {
            "changes" : [
                {"at" : "2025-02-01T10:00:00Z", "field" : "account_id"},
                {"at" : "2025-03-01T10:00:00Z", "field" : "bank_name"},
                {"at" : "2025-04-15T10:00:00Z", "field" : "account_id"}
            ]
        }
    }));
    rh_assert_has(rh_ev(r, "pay_frequent_changes", "problem"),
                  "3 changes within 90 days");
    cr_assert_str_eq(rh_ev(r, "pay_frequent_changes", "fields"), "account_id, bank_name");
    r = rh_score(J({
        "candidate_id" : "p5",
        "post_hire" : {"hired_at" : "2025-02-01"},
        "payment" :
            {"changes" : [ {"at" : "2025-02-12T10:00:00Z", "field" : "account_id"} ]}
    }));
    rh_assert_has(rh_ev(r, "pay_frequent_changes", "problem"), "11 days after the hire");
    r = rh_score(J({
        "candidate_id" : "p5",
        "post_hire" : {"hired_at" : "2024-01-01"},
        "payment" : {"changes" : [ {"at" : "2025-02-12T10:00:00Z"} ]}
    }));
    cr_assert(rh_clean(r, "pay_frequent_changes"));
}
