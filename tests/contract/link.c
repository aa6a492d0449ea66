/* The C API of SPEC §5.2 as an outside program uses it: linked with
 * -lcontactbatch (from the build folder, or from an install through
 * pkg-config), run, and every documented entry point called once.
 * Prints "ok" and exits 0, or names the first broken promise and exits 1.
 * scripts/contract.sh builds and runs it. */
#include <stdio.h>
#include <string.h>

#include "contact_batch.h"

static int failures = 0;

#define CHECK(cond, what)                                                   \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "contract: C API: %s (%s:%d)\n", what,          \
                    __FILE__, __LINE__);                                    \
            failures++;                                                     \
        }                                                                   \
    } while (0)

static int contains(const cbatch_buf *b, const char *needle)
{
    return b->data != NULL && strstr(b->data, needle) != NULL;
}

int main(void)
{
    const char *version = cbatch_version();
    CHECK(version != NULL && strcmp(version, CBATCH_VERSION) == 0,
          "cbatch_version() is the header's CBATCH_VERSION");

    /* A bad config: NULL, and a message in err. */
    cbatch_buf err = {0};
    const char *bad = "{\"profile\": \"no-such-profile\"}";
    CHECK(cbatch_engine_new(bad, strlen(bad), &err) == NULL,
          "an unknown profile gives no engine");
    CHECK(err.data != NULL && err.len > 0 && err.data[err.len] == '\0',
          "the config error is a NUL-terminated message");
    cbatch_buf_free(&err);
    CHECK(err.data == NULL && err.len == 0, "cbatch_buf_free resets the buf");
    cbatch_buf_free(&err); /* freeing a zeroed buf is harmless */

    const char *config = "{\"profile\": \"rasl-create\", \"default_region\": \"US\"}";
    cbatch_engine *engine = cbatch_engine_new(config, strlen(config), &err);
    CHECK(engine != NULL, "cbatch_engine_new builds a rasl-create engine");
    if (engine == NULL) {
        return 1;
    }

    /* One call: {"status", "body"}, the existing phone is skipped. */
    const char *request =
        "{\"contacts\": [{\"firstname\": \"Ann\", \"phone\": \"(415) 555-2671\"},"
        " {\"firstname\": \"Bob\", \"phone\": \"+442071838750\"}]}";
    const char *existing = "{\"phones\": {\"+14155552671\": \"ct_1\"}}";
    cbatch_buf out = {0};
    int rc = cbatch_respond(engine, request, strlen(request), existing,
                            strlen(existing), &out);
    CHECK(rc == 0, "cbatch_respond returns 0");
    CHECK(strncmp(out.data, "{\"status\":200,\"body\":", 21) == 0,
          "cbatch_respond writes {\"status\":200,\"body\":...}");
    CHECK(out.data[out.len] == '\0', "the output is NUL-terminated");
    CHECK(contains(&out, "+442071838750"), "the new phone is in the body");
    cbatch_buf_free(&out);

    /* A malformed request is a 4xx response with return code 0. */
    rc = cbatch_respond(engine, "not json", 8, NULL, 0, &out);
    CHECK(rc == 0, "a malformed request still returns 0");
    CHECK(strncmp(out.data, "{\"status\":422,", 14) == 0,
          "a malformed request is a 422 response");
    cbatch_buf_free(&out);

    /* Invalid UTF-8 and NULL: error codes, never a crash. */
    rc = cbatch_respond(NULL, request, strlen(request), NULL, 0, &out);
    CHECK(rc != 0 && out.data == NULL, "a NULL engine is an error code, out untouched");
    CHECK(cbatch_result_name(rc) != NULL, "every code has a name");

    /* Two phases. */
    cbatch_prepared *prepared = NULL;
    rc = cbatch_prepare(engine, request, strlen(request), &prepared);
    CHECK(rc == 0 && prepared != NULL, "cbatch_prepare gives a handle");
    rc = cbatch_prepared_keys(prepared, &out);
    CHECK(rc == 0 && contains(&out, "\"phones\":[\"+14155552671\",\"+442071838750\"]"),
          "cbatch_prepared_keys lists the phones to look up");
    cbatch_buf_free(&out);
    rc = cbatch_resolve(engine, prepared, existing, strlen(existing), &out);
    CHECK(rc == 0 && strncmp(out.data, "{\"status\":200,", 14) == 0,
          "cbatch_resolve renders the response");
    cbatch_buf_free(&out);
    cbatch_prepared_free(prepared);

    /* Single values. */
    rc = cbatch_normalize_phone(engine, "020 7183 8750", 13, "GB", 2, &out);
    CHECK(rc == 0 && contains(&out, "\"e164\":\"+442071838750\""),
          "cbatch_normalize_phone gives E.164");
    cbatch_buf_free(&out);
    rc = cbatch_validate_email(engine, " Ann@Example.COM ", 17, &out);
    CHECK(rc == 0 && contains(&out, "\"normalized\":\"Ann@example.com\""),
          "cbatch_validate_email lowercases the domain");
    cbatch_buf_free(&out);
    /* Issue 28: a control character inside an address is invalid. */
    const char *cr = "\"\r\"@example.com";
    rc = cbatch_validate_email(engine, cr, strlen(cr), &out);
    CHECK(rc == 0 && contains(&out, "\"valid\":false")
              && contains(&out, "control_character"),
          "a CR inside a quoted local part is invalid");
    cbatch_buf_free(&out);
    const char *crlf = "\"test\r\n blah\"@iana.org";
    rc = cbatch_validate_email(engine, crlf, strlen(crlf), &out);
    CHECK(rc == 0 && contains(&out, "\"valid\":false"),
          "a CRLF inside a quoted local part is invalid");
    cbatch_buf_free(&out);
    rc = cbatch_validate_email(engine, "a@b.c\xff", 6, &out);
    CHECK(rc != 0 && out.data == NULL, "invalid UTF-8 is an error code");

    cbatch_engine_free(engine);
    cbatch_engine_free(NULL);
    if (failures == 0) {
        printf("ok\n");
    }
    return failures == 0 ? 0 : 1;
}
