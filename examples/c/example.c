/*
 * contact-batch from C: what a host does, and what goes wrong when it
 * misuses the API. Every check that fails is printed and makes the program
 * exit non-zero, so `make run` is also a test.
 *
 * Build: see the Makefile (static and shared builds). Run: ./example_static
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact_batch.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                          \
    do {                                                                     \
        checks++;                                                            \
        if (!(cond)) {                                                       \
            failures++;                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
        }                                                                    \
    } while (0)

/* True when the buf holds `needle` somewhere in its JSON. */
static int contains(const cbatch_buf *b, const char *needle)
{
    return b->data != NULL && strstr(b->data, needle) != NULL;
}

static cbatch_engine *engine_from(const char *config, cbatch_buf *err)
{
    return cbatch_engine_new(config, strlen(config), err);
}

static const char CREATE_REQUEST[] =
    "{\"contacts\": ["
    "{\"firstname\": \"Ann\", \"phone\": \"(415) 555-2671\", \"email\": \"Ann@Example.COM\"},"
    "{\"firstname\": \"Bob\", \"phone\": \"+1 415 555 2672\"},"
    "{\"firstname\": \"Bob again\", \"phone\": \"415.555.2672\"},"
    "{\"firstname\": \"\", \"phone\": \"12\"}"
    "], \"options\": {\"skip_duplicates\": true}}";

/* The one-call form: request in, {"status", "body"} out. */
static void respond_one_call(const cbatch_engine *engine)
{
    cbatch_buf out = {0};
    int rc = cbatch_respond(engine, CREATE_REQUEST, strlen(CREATE_REQUEST), NULL, 0, &out);
    CHECK(rc == CBATCH_OK);
    CHECK(contains(&out, "\"status\":200"));
    CHECK(contains(&out, "\"summary\":{\"total\":4,\"created\":2,\"skipped\":1,\"failed\":1}"));
    CHECK(contains(&out, "\"email\":\"Ann@example.com\""));
    CHECK(out.data != NULL && out.data[out.len] == '\0');
    printf("respond: %.120s...\n", out.data);
    cbatch_buf_free(&out);
    CHECK(out.data == NULL && out.len == 0);
    cbatch_buf_free(&out); /* freeing twice is harmless */
}

/* The two-phase form: prepare, look the keys up, resolve. */
static void two_phase(const cbatch_engine *engine)
{
    cbatch_prepared *prepared = NULL;
    int rc = cbatch_prepare(engine, CREATE_REQUEST, strlen(CREATE_REQUEST), &prepared);
    CHECK(rc == CBATCH_OK && prepared != NULL);

    cbatch_buf keys = {0};
    rc = cbatch_prepared_keys(prepared, &keys);
    CHECK(rc == CBATCH_OK);
    CHECK(contains(&keys, "\"phones\":[\"+14155552671\",\"+14155552672\"]"));
    CHECK(contains(&keys, "\"rejected\":false"));
    printf("keys: %s\n", keys.data);
    cbatch_buf_free(&keys);

    /* The host ran SELECT ... WHERE phone IN (...): one of them exists. */
    static const char existing[] = "{\"phones\": {\"+14155552671\": \"ct_1\"}}";
    cbatch_buf out = {0};
    rc = cbatch_resolve(engine, prepared, existing, strlen(existing), &out);
    CHECK(rc == CBATCH_OK);
    CHECK(contains(&out, "\"created\":1,\"skipped\":2"));
    CHECK(contains(&out, "\"reason\":\"duplicate_phone\""));
    cbatch_buf_free(&out);

    /* The per-row outcome, for a host that writes the rows itself. */
    rc = cbatch_resolve_outcome(engine, prepared, existing, strlen(existing), &out);
    CHECK(rc == CBATCH_OK);
    CHECK(contains(&out, "\"rejected\":false"));
    CHECK(contains(&out, "\"action\":\"create\""));
    cbatch_buf_free(&out);

    /* Malformed existing JSON is an error code; ask why. */
    static const char bad_existing[] = "{\"phones\": {\"4155552671\": \"x\"}}";
    rc = cbatch_resolve(engine, prepared, bad_existing, strlen(bad_existing), &out);
    CHECK(rc == CBATCH_INVALID_EXISTING);
    CHECK(out.data == NULL); /* out-params are written only on success */
    cbatch_buf why = {0};
    CHECK(cbatch_existing_check(bad_existing, strlen(bad_existing), &why) ==
          CBATCH_INVALID_EXISTING);
    CHECK(contains(&why, "E.164"));
    printf("existing refused: %s\n", why.data);
    cbatch_buf_free(&why);

    cbatch_prepared_free(prepared);
}

static void single_values(const cbatch_engine *engine)
{
    cbatch_buf out = {0};
    static const char phone[] = "020 7183 8750";
    int rc = cbatch_normalize_phone(engine, phone, strlen(phone), "GB", 2, &out);
    CHECK(rc == CBATCH_OK);
    CHECK(contains(&out, "\"valid\":true"));
    CHECK(contains(&out, "\"e164\":\"+442071838750\""));
    printf("phone: %s\n", out.data);
    cbatch_buf_free(&out);

    /* An invalid number is data, not an error. */
    rc = cbatch_normalize_phone(engine, "12", 2, NULL, 0, &out);
    CHECK(rc == CBATCH_OK);
    CHECK(contains(&out, "\"valid\":false"));
    cbatch_buf_free(&out);

    static const char email[] = " Ann@Example.COM ";
    rc = cbatch_validate_email(engine, email, strlen(email), &out);
    CHECK(rc == CBATCH_OK);
    CHECK(contains(&out, "\"normalized\":\"Ann@example.com\""));
    CHECK(contains(&out, "\"key\":\"ann@example.com\""));
    printf("email: %s\n", out.data);
    cbatch_buf_free(&out);

    rc = cbatch_validate_email(engine, "a@localhost", 11, &out);
    CHECK(rc == CBATCH_OK);
    CHECK(contains(&out, "\"error\":\"domain_without_dot\""));
    cbatch_buf_free(&out);

    /* Invalid UTF-8 where text is required is an error code. */
    rc = cbatch_validate_email(engine, "a\xff@b.com", 8, &out);
    CHECK(rc == CBATCH_INVALID_UTF8);
    CHECK(out.data == NULL);
    CHECK(strcmp(cbatch_result_name(rc), "CBATCH_INVALID_UTF8") == 0);
}

static void error_paths(const cbatch_engine *engine)
{
    cbatch_buf out = {0};

    /* NULL pointers are refused, never dereferenced. */
    CHECK(cbatch_respond(NULL, "{}", 2, NULL, 0, &out) == CBATCH_NULL_ARGUMENT);
    CHECK(cbatch_respond(engine, "{}", 2, NULL, 0, NULL) == CBATCH_NULL_ARGUMENT);
    CHECK(cbatch_respond(engine, NULL, 10, NULL, 0, &out) == CBATCH_NULL_ARGUMENT);
    CHECK(cbatch_prepare(engine, "{}", 2, NULL) == CBATCH_NULL_ARGUMENT);
    CHECK(cbatch_prepared_keys(NULL, &out) == CBATCH_NULL_ARGUMENT);
    CHECK(cbatch_resolve(engine, NULL, NULL, 0, &out) == CBATCH_NULL_ARGUMENT);
    CHECK(cbatch_normalize_phone(engine, NULL, 3, NULL, 0, &out) == CBATCH_NULL_ARGUMENT);
    CHECK(cbatch_validate_email(NULL, "a@b.co", 6, &out) == CBATCH_NULL_ARGUMENT);
    CHECK(out.data == NULL);
    cbatch_engine_free(NULL);
    cbatch_prepared_free(NULL);
    cbatch_buf_free(NULL);

    /* A truncated request is the API's 422, with CBATCH_OK. */
    static const char truncated[] = "{\"contacts\": [{\"firstname\": \"Ann\", ";
    int rc = cbatch_respond(engine, truncated, strlen(truncated), NULL, 0, &out);
    CHECK(rc == CBATCH_OK);
    CHECK(contains(&out, "\"status\":422"));
    CHECK(contains(&out, "VALIDATION_ERROR"));
    printf("truncated: %s\n", out.data);
    cbatch_buf_free(&out);

    /* Invalid UTF-8 in a body is a 4xx response too. */
    rc = cbatch_respond(engine, "\xff\xfe", 2, NULL, 0, &out);
    CHECK(rc == CBATCH_OK && contains(&out, "\"status\":422"));
    cbatch_buf_free(&out);

    /* Engine configs that cannot work: NULL and a message. */
    cbatch_buf err = {0};
    CHECK(engine_from("{\"profile\": \"no-such-api\"}", &err) == NULL);
    CHECK(contains(&err, "no-such-api"));
    printf("bad profile: %s\n", err.data);
    cbatch_buf_free(&err);

    CHECK(engine_from("{\"profile\": \"rasl-\xff\"}", &err) == NULL);
    CHECK(contains(&err, "UTF-8"));
    cbatch_buf_free(&err);

    CHECK(engine_from("{\"profile\": \"rasl-create\", \"default_region\": \"XX\"}", &err) == NULL);
    CHECK(contains(&err, "XX"));
    cbatch_buf_free(&err);

    CHECK(cbatch_engine_new(NULL, 0, NULL) == NULL); /* err may be NULL */
}

/* 8 threads on one engine; each alternates the one-call form and the
 * two-phase form (prepare, keys, resolve), offset by its index so both run
 * side by side at every moment. ROUNDS stays small: valgrind runs the
 * threads one at a time. */
#define THREADS 8
#define ROUNDS 12

struct job {
    const cbatch_engine *engine;
    int index;
    const char *expected;
    const char *expected_keys;
    int one_call;
    int two_phase;
    int failures;
};

/* One engine, shared by every thread without locks; each thread owns its
 * prepared handles and bufs. */
static void *worker(void *arg)
{
    struct job *job = arg;
    for (int i = 0; i < ROUNDS; i++) {
        cbatch_buf out = {0};
        if ((i + job->index) % 2 == 0) {
            job->one_call++;
            if (cbatch_respond(job->engine, CREATE_REQUEST, strlen(CREATE_REQUEST), NULL, 0,
                               &out) != CBATCH_OK) {
                job->failures++;
                continue;
            }
        } else {
            job->two_phase++;
            cbatch_prepared *p = NULL;
            cbatch_buf keys = {0};
            if (cbatch_prepare(job->engine, CREATE_REQUEST, strlen(CREATE_REQUEST), &p) !=
                    CBATCH_OK ||
                cbatch_prepared_keys(p, &keys) != CBATCH_OK ||
                cbatch_resolve(job->engine, p, NULL, 0, &out) != CBATCH_OK) {
                job->failures++;
                cbatch_buf_free(&keys);
                cbatch_prepared_free(p);
                continue;
            }
            if (strcmp(keys.data, job->expected_keys) != 0) {
                job->failures++;
            }
            cbatch_buf_free(&keys);
            cbatch_prepared_free(p);
        }
        if (strcmp(out.data, job->expected) != 0) {
            job->failures++;
        }
        cbatch_buf_free(&out);
    }
    return NULL;
}

static void threads(const cbatch_engine *engine)
{
    cbatch_buf expected = {0};
    CHECK(cbatch_respond(engine, CREATE_REQUEST, strlen(CREATE_REQUEST), NULL, 0, &expected) ==
          CBATCH_OK);
    cbatch_buf expected_keys = {0};
    cbatch_prepared *p = NULL;
    CHECK(cbatch_prepare(engine, CREATE_REQUEST, strlen(CREATE_REQUEST), &p) == CBATCH_OK);
    CHECK(cbatch_prepared_keys(p, &expected_keys) == CBATCH_OK);
    cbatch_prepared_free(p);
    if (expected.data == NULL || expected_keys.data == NULL) {
        cbatch_buf_free(&expected);
        cbatch_buf_free(&expected_keys);
        return;
    }
    pthread_t tids[THREADS];
    struct job jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t].engine = engine;
        jobs[t].index = t;
        jobs[t].expected = expected.data;
        jobs[t].expected_keys = expected_keys.data;
        jobs[t].one_call = 0;
        jobs[t].two_phase = 0;
        jobs[t].failures = 0;
        CHECK(pthread_create(&tids[t], NULL, worker, &jobs[t]) == 0);
    }
    int one_call = 0, two_phase = 0;
    for (int t = 0; t < THREADS; t++) {
        CHECK(pthread_join(tids[t], NULL) == 0);
        CHECK(jobs[t].failures == 0);
        one_call += jobs[t].one_call;
        two_phase += jobs[t].two_phase;
    }
    CHECK(one_call == THREADS * ROUNDS / 2 && two_phase == THREADS * ROUNDS / 2);
    cbatch_buf_free(&expected);
    cbatch_buf_free(&expected_keys);
    printf("threads: %d threads x %d requests on one engine (%d one-call, %d two-phase)\n",
           THREADS, ROUNDS, one_call, two_phase);
}

/* Warm-up: compile regions' phone patterns before the first request. */
static void warm_up(const cbatch_engine *engine)
{
    static const char regions[] = "US, GB,DE";
    CHECK(cbatch_engine_warm(engine, regions, strlen(regions), NULL) == CBATCH_OK);
    CHECK(cbatch_engine_warm(engine, NULL, 0, NULL) == CBATCH_OK);
    CHECK(cbatch_engine_warm(NULL, regions, strlen(regions), NULL) == CBATCH_NULL_ARGUMENT);
    cbatch_buf err = {0};
    CHECK(cbatch_engine_warm(engine, "US,XX", 5, &err) == CBATCH_INVALID_CONFIG);
    CHECK(contains(&err, "XX"));
    cbatch_buf_free(&err);
    CHECK(cbatch_engine_warm(engine, "\xff", 1, &err) == CBATCH_INVALID_UTF8);
    CHECK(err.data == NULL);
}

int main(void)
{
    printf("libcontactbatch %s (header %s)\n", cbatch_version(), CBATCH_VERSION);
    CHECK(strcmp(cbatch_version(), CBATCH_VERSION) == 0);

    cbatch_buf err = {0};
    cbatch_engine *engine =
        engine_from("{\"profile\": \"rasl-create\", \"default_region\": \"US\", \"threads\": 2}", &err);
    if (engine == NULL) {
        fprintf(stderr, "engine: %s\n", err.data ? err.data : "(no message)");
        cbatch_buf_free(&err);
        return 1;
    }

    warm_up(engine);
    respond_one_call(engine);
    two_phase(engine);
    single_values(engine);
    error_paths(engine);
    threads(engine);

    cbatch_engine_free(engine);

    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures == 0 ? 0 : 1;
}
