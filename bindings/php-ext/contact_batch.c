/*
 * contact_batch: a PHP extension over the contact-batch C API.
 *
 * PHP API (namespace ContactBatch):
 *   final class Engine {
 *     __construct(array $options)          // profile, default_region, limits, ...
 *     respond(string $body, ?array $existing = null): array   // ['status' => int, 'body' => array]
 *     respondJson(string $body, ?string $existingJson = null): string
 *     prepare(string $body): Prepared
 *   }
 *   final class Prepared {
 *     keys(): array                         // ['phones' => [...], 'ids' => [...], ...]
 *     resolve(?array $existing = null): array
 *   }
 *   function normalize_phone(string $raw, ?string $region = null): ?array
 *   function validate_email(string $email): bool
 *   class Exception extends \Exception
 *
 * Ownership: every cbatch_buf the library fills is released here with
 * cbatch_buf_free before returning to PHP; an Engine frees its cbatch_engine
 * and a Prepared its cbatch_prepared when PHP frees the object, so nothing
 * outlives a request unless the script keeps the object.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "ext/standard/info.h"
#include "ext/json/php_json.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"
#include "zend_smart_str.h"

#include "contact_batch.h"

#define PHP_CONTACT_BATCH_VERSION CBATCH_VERSION

/* Engine output nests at most 128 levels (the engine's JSON limit) plus a few. */
#define CB_JSON_DEPTH 512

static zend_class_entry *cb_engine_ce;
static zend_class_entry *cb_prepared_ce;
static zend_class_entry *cb_exception_ce;
static zend_object_handlers cb_engine_handlers;
static zend_object_handlers cb_prepared_handlers;

/* The engine behind normalize_phone() and validate_email(): built on first
 * use (NTS) or at module start (ZTS), freed at module shutdown. */
static cbatch_engine *cb_default_engine = NULL;

typedef struct {
    cbatch_engine *engine;
    zend_object std;
} cb_engine_obj;

typedef struct {
    cbatch_prepared *prepared;
    zend_object *engine_obj; /* a counted reference: resolve() needs the engine */
    zend_object std;
} cb_prepared_obj;

static inline cb_engine_obj *cb_engine_from(zend_object *obj)
{
    return (cb_engine_obj *)((char *)obj - XtOffsetOf(cb_engine_obj, std));
}

static inline cb_prepared_obj *cb_prepared_from(zend_object *obj)
{
    return (cb_prepared_obj *)((char *)obj - XtOffsetOf(cb_prepared_obj, std));
}

/* ---- errors ---- */

static void cb_throw_buf(cbatch_buf *msg, int code)
{
    if (msg->data != NULL) {
        zend_throw_exception_ex(cb_exception_ce, code, "%.*s", (int)msg->len, msg->data);
    } else {
        zend_throw_exception_ex(cb_exception_ce, code, "contact-batch: %s", cbatch_result_name(code));
    }
    cbatch_buf_free(msg);
}

/* Throws for a non-zero result code, with the library's message when it has one. */
static void cb_throw_result(int rc, const char *existing, size_t existing_len)
{
    cbatch_buf msg = {0};
    if (rc == CBATCH_INVALID_EXISTING) {
        (void)cbatch_existing_check(existing, existing_len, &msg);
    }
    cb_throw_buf(&msg, rc);
}

/* ---- JSON helpers ---- */

/* Encodes an existing-keys array. NULL or [] means none (PHP's json_encode
 * gives "[]" for an empty array, which is no JSON object). */
static int cb_encode_existing(zval *existing, smart_str *out)
{
    if (existing == NULL || Z_TYPE_P(existing) != IS_ARRAY
        || zend_hash_num_elements(Z_ARRVAL_P(existing)) == 0) {
        return SUCCESS;
    }
    if (php_json_encode(out, existing, PHP_JSON_UNESCAPED_UNICODE | PHP_JSON_UNESCAPED_SLASHES) == FAILURE) {
        smart_str_free(out);
        zend_throw_exception(cb_exception_ce, "the existing array cannot be encoded as JSON", 0);
        return FAILURE;
    }
    smart_str_0(out);
    return SUCCESS;
}

/* Decodes a buf the library filled into return_value, then frees the buf. */
static void cb_decode_into(zval *return_value, cbatch_buf *buf)
{
    if (php_json_decode_ex(return_value, buf->data, buf->len, PHP_JSON_OBJECT_AS_ARRAY, CB_JSON_DEPTH) == FAILURE) {
        ZVAL_NULL(return_value);
        zend_throw_exception(cb_exception_ce, "contact-batch returned JSON that PHP cannot decode", 0);
    }
    cbatch_buf_free(buf);
}

static cbatch_engine *cb_engine_or_throw(zval *self)
{
    cb_engine_obj *o = cb_engine_from(Z_OBJ_P(self));
    if (o->engine == NULL) {
        zend_throw_exception(cb_exception_ce, "the engine was not constructed", 0);
    }
    return o->engine;
}

static cbatch_engine *cb_default(void)
{
    if (cb_default_engine == NULL) {
        static const char config[] = "{\"profile\":\"rasl-create\",\"threads\":1}";
        cbatch_buf err = {0};
        cb_default_engine = cbatch_engine_new(config, sizeof(config) - 1, &err);
        if (cb_default_engine == NULL) {
            cb_throw_buf(&err, CBATCH_INVALID_CONFIG);
        }
    }
    return cb_default_engine;
}

/* ---- object handlers ---- */

static zend_object *cb_engine_create(zend_class_entry *ce)
{
    cb_engine_obj *o = zend_object_alloc(sizeof(cb_engine_obj), ce);
    zend_object_std_init(&o->std, ce);
    object_properties_init(&o->std, ce);
    o->std.handlers = &cb_engine_handlers;
    o->engine = NULL;
    return &o->std;
}

static void cb_engine_free_obj(zend_object *obj)
{
    cb_engine_obj *o = cb_engine_from(obj);
    cbatch_engine_free(o->engine);
    o->engine = NULL;
    zend_object_std_dtor(obj);
}

static zend_object *cb_prepared_create(zend_class_entry *ce)
{
    cb_prepared_obj *o = zend_object_alloc(sizeof(cb_prepared_obj), ce);
    zend_object_std_init(&o->std, ce);
    object_properties_init(&o->std, ce);
    o->std.handlers = &cb_prepared_handlers;
    o->prepared = NULL;
    o->engine_obj = NULL;
    return &o->std;
}

static void cb_prepared_free_obj(zend_object *obj)
{
    cb_prepared_obj *o = cb_prepared_from(obj);
    cbatch_prepared_free(o->prepared);
    o->prepared = NULL;
    if (o->engine_obj != NULL) {
        OBJ_RELEASE(o->engine_obj);
        o->engine_obj = NULL;
    }
    zend_object_std_dtor(obj);
}

/* ---- ContactBatch\Engine ---- */

PHP_METHOD(CbEngine, __construct)
{
    zval *options;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY(options)
    ZEND_PARSE_PARAMETERS_END();

    cb_engine_obj *o = cb_engine_from(Z_OBJ_P(ZEND_THIS));
    if (o->engine != NULL) {
        zend_throw_exception(cb_exception_ce, "the engine is already constructed", 0);
        RETURN_THROWS();
    }
    smart_str json = {0};
    if (php_json_encode(&json, options, PHP_JSON_UNESCAPED_UNICODE | PHP_JSON_UNESCAPED_SLASHES) == FAILURE) {
        smart_str_free(&json);
        zend_throw_exception(cb_exception_ce, "the options cannot be encoded as JSON", 0);
        RETURN_THROWS();
    }
    smart_str_0(&json);
    cbatch_buf err = {0};
    o->engine = cbatch_engine_new(ZSTR_VAL(json.s), ZSTR_LEN(json.s), &err);
    smart_str_free(&json);
    if (o->engine == NULL) {
        cb_throw_buf(&err, CBATCH_INVALID_CONFIG);
        RETURN_THROWS();
    }
}

PHP_METHOD(CbEngine, respond)
{
    zend_string *body;
    zval *existing = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(body)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_OR_NULL(existing)
    ZEND_PARSE_PARAMETERS_END();

    cbatch_engine *engine = cb_engine_or_throw(ZEND_THIS);
    if (engine == NULL) {
        RETURN_THROWS();
    }
    smart_str ex = {0};
    if (cb_encode_existing(existing, &ex) == FAILURE) {
        RETURN_THROWS();
    }
    const char *ex_data = ex.s ? ZSTR_VAL(ex.s) : NULL;
    size_t ex_len = ex.s ? ZSTR_LEN(ex.s) : 0;
    cbatch_buf out = {0};
    int rc = cbatch_respond(engine, ZSTR_VAL(body), ZSTR_LEN(body), ex_data, ex_len, &out);
    if (rc != CBATCH_OK) {
        cb_throw_result(rc, ex_data, ex_len);
        smart_str_free(&ex);
        RETURN_THROWS();
    }
    smart_str_free(&ex);
    cb_decode_into(return_value, &out);
}

PHP_METHOD(CbEngine, respondJson)
{
    zend_string *body;
    zend_string *existing = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(body)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(existing)
    ZEND_PARSE_PARAMETERS_END();

    cbatch_engine *engine = cb_engine_or_throw(ZEND_THIS);
    if (engine == NULL) {
        RETURN_THROWS();
    }
    const char *ex_data = existing ? ZSTR_VAL(existing) : NULL;
    size_t ex_len = existing ? ZSTR_LEN(existing) : 0;
    cbatch_buf out = {0};
    int rc = cbatch_respond(engine, ZSTR_VAL(body), ZSTR_LEN(body), ex_data, ex_len, &out);
    if (rc != CBATCH_OK) {
        cb_throw_result(rc, ex_data, ex_len);
        RETURN_THROWS();
    }
    RETVAL_STRINGL(out.data, out.len);
    cbatch_buf_free(&out);
}

PHP_METHOD(CbEngine, prepare)
{
    zend_string *body;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(body)
    ZEND_PARSE_PARAMETERS_END();

    cbatch_engine *engine = cb_engine_or_throw(ZEND_THIS);
    if (engine == NULL) {
        RETURN_THROWS();
    }
    cbatch_prepared *prepared = NULL;
    int rc = cbatch_prepare(engine, ZSTR_VAL(body), ZSTR_LEN(body), &prepared);
    if (rc != CBATCH_OK) {
        cb_throw_result(rc, NULL, 0);
        RETURN_THROWS();
    }
    object_init_ex(return_value, cb_prepared_ce);
    cb_prepared_obj *p = cb_prepared_from(Z_OBJ_P(return_value));
    p->prepared = prepared;
    p->engine_obj = Z_OBJ_P(ZEND_THIS);
    GC_ADDREF(p->engine_obj);
}

/* ---- ContactBatch\Prepared ---- */

static cb_prepared_obj *cb_prepared_or_throw(zval *self)
{
    cb_prepared_obj *p = cb_prepared_from(Z_OBJ_P(self));
    if (p->prepared == NULL || p->engine_obj == NULL) {
        zend_throw_exception(cb_exception_ce, "a Prepared comes from Engine::prepare()", 0);
        return NULL;
    }
    return p;
}

/* Private: a Prepared only comes from Engine::prepare(). */
PHP_METHOD(CbPrepared, __construct)
{
    ZEND_PARSE_PARAMETERS_NONE();
}

PHP_METHOD(CbPrepared, keys)
{
    ZEND_PARSE_PARAMETERS_NONE();
    cb_prepared_obj *p = cb_prepared_or_throw(ZEND_THIS);
    if (p == NULL) {
        RETURN_THROWS();
    }
    cbatch_buf out = {0};
    int rc = cbatch_prepared_keys(p->prepared, &out);
    if (rc != CBATCH_OK) {
        cb_throw_result(rc, NULL, 0);
        RETURN_THROWS();
    }
    cb_decode_into(return_value, &out);
}

PHP_METHOD(CbPrepared, resolve)
{
    zval *existing = NULL;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_OR_NULL(existing)
    ZEND_PARSE_PARAMETERS_END();

    cb_prepared_obj *p = cb_prepared_or_throw(ZEND_THIS);
    if (p == NULL) {
        RETURN_THROWS();
    }
    smart_str ex = {0};
    if (cb_encode_existing(existing, &ex) == FAILURE) {
        RETURN_THROWS();
    }
    const char *ex_data = ex.s ? ZSTR_VAL(ex.s) : NULL;
    size_t ex_len = ex.s ? ZSTR_LEN(ex.s) : 0;
    cbatch_buf out = {0};
    int rc = cbatch_resolve(cb_engine_from(p->engine_obj)->engine, p->prepared, ex_data, ex_len, &out);
    if (rc != CBATCH_OK) {
        cb_throw_result(rc, ex_data, ex_len);
        smart_str_free(&ex);
        RETURN_THROWS();
    }
    smart_str_free(&ex);
    cb_decode_into(return_value, &out);
}

/* ---- functions ---- */

PHP_FUNCTION(normalize_phone)
{
    zend_string *raw;
    zend_string *region = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(raw)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(region)
    ZEND_PARSE_PARAMETERS_END();

    cbatch_engine *engine = cb_default();
    if (engine == NULL) {
        RETURN_THROWS();
    }
    cbatch_buf out = {0};
    int rc = cbatch_normalize_phone(engine, ZSTR_VAL(raw), ZSTR_LEN(raw),
                                    region ? ZSTR_VAL(region) : NULL, region ? ZSTR_LEN(region) : 0, &out);
    if (rc == CBATCH_INVALID_UTF8) {
        cbatch_buf_free(&out);
        RETURN_NULL();
    }
    if (rc != CBATCH_OK) {
        cb_throw_result(rc, NULL, 0);
        RETURN_THROWS();
    }
    cb_decode_into(return_value, &out);
    if (Z_TYPE_P(return_value) != IS_ARRAY) {
        RETURN_THROWS();
    }
    zval *valid = zend_hash_str_find(Z_ARRVAL_P(return_value), "valid", sizeof("valid") - 1);
    if (valid == NULL || Z_TYPE_P(valid) != IS_TRUE) {
        zval_ptr_dtor(return_value);
        RETURN_NULL();
    }
    zend_hash_str_del(Z_ARRVAL_P(return_value), "valid", sizeof("valid") - 1);
}

PHP_FUNCTION(validate_email)
{
    zend_string *email;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(email)
    ZEND_PARSE_PARAMETERS_END();

    cbatch_engine *engine = cb_default();
    if (engine == NULL) {
        RETURN_THROWS();
    }
    cbatch_buf out = {0};
    int rc = cbatch_validate_email(engine, ZSTR_VAL(email), ZSTR_LEN(email), &out);
    if (rc == CBATCH_INVALID_UTF8) {
        RETURN_FALSE;
    }
    if (rc != CBATCH_OK) {
        cb_throw_result(rc, NULL, 0);
        RETURN_THROWS();
    }
    /* {"valid": true, ...} starts with exactly these bytes. */
    static const char yes[] = "{\"valid\":true";
    bool valid = out.len >= sizeof(yes) - 1 && memcmp(out.data, yes, sizeof(yes) - 1) == 0;
    cbatch_buf_free(&out);
    RETURN_BOOL(valid);
}

/* ---- arginfo ---- */

ZEND_BEGIN_ARG_INFO_EX(arginfo_engine_construct, 0, 0, 1)
    ZEND_ARG_TYPE_INFO(0, options, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_engine_respond, 0, 1, IS_ARRAY, 0)
    ZEND_ARG_TYPE_INFO(0, body, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, existing, IS_ARRAY, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_engine_respond_json, 0, 1, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO(0, body, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, existingJson, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_engine_prepare, 0, 1, ContactBatch\\Prepared, 0)
    ZEND_ARG_TYPE_INFO(0, body, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_prepared_keys, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_prepared_resolve, 0, 0, IS_ARRAY, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, existing, IS_ARRAY, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_normalize_phone, 0, 1, IS_ARRAY, 1)
    ZEND_ARG_TYPE_INFO(0, raw, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, region, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_validate_email, 0, 1, _IS_BOOL, 0)
    ZEND_ARG_TYPE_INFO(0, email, IS_STRING, 0)
ZEND_END_ARG_INFO()

static const zend_function_entry cb_engine_methods[] = {
    PHP_ME(CbEngine, __construct, arginfo_engine_construct, ZEND_ACC_PUBLIC)
    PHP_ME(CbEngine, respond, arginfo_engine_respond, ZEND_ACC_PUBLIC)
    PHP_ME(CbEngine, respondJson, arginfo_engine_respond_json, ZEND_ACC_PUBLIC)
    PHP_ME(CbEngine, prepare, arginfo_engine_prepare, ZEND_ACC_PUBLIC)
    PHP_FE_END
};

ZEND_BEGIN_ARG_INFO_EX(arginfo_prepared_construct, 0, 0, 0)
ZEND_END_ARG_INFO()

static const zend_function_entry cb_prepared_methods[] = {
    PHP_ME(CbPrepared, __construct, arginfo_prepared_construct, ZEND_ACC_PRIVATE)
    PHP_ME(CbPrepared, keys, arginfo_prepared_keys, ZEND_ACC_PUBLIC)
    PHP_ME(CbPrepared, resolve, arginfo_prepared_resolve, ZEND_ACC_PUBLIC)
    PHP_FE_END
};

static const zend_function_entry cb_functions[] = {
    ZEND_NS_FE("ContactBatch", normalize_phone, arginfo_normalize_phone)
    ZEND_NS_FE("ContactBatch", validate_email, arginfo_validate_email)
    PHP_FE_END
};

/* ---- module ---- */

PHP_MINIT_FUNCTION(contact_batch)
{
    zend_class_entry ce;

    INIT_NS_CLASS_ENTRY(ce, "ContactBatch", "Exception", NULL);
    cb_exception_ce = zend_register_internal_class_ex(&ce, zend_ce_exception);

    INIT_NS_CLASS_ENTRY(ce, "ContactBatch", "Engine", cb_engine_methods);
    cb_engine_ce = zend_register_internal_class(&ce);
    cb_engine_ce->ce_flags |= ZEND_ACC_FINAL | ZEND_ACC_NO_DYNAMIC_PROPERTIES | ZEND_ACC_NOT_SERIALIZABLE;
    cb_engine_ce->create_object = cb_engine_create;
    memcpy(&cb_engine_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    cb_engine_handlers.offset = XtOffsetOf(cb_engine_obj, std);
    cb_engine_handlers.free_obj = cb_engine_free_obj;
    cb_engine_handlers.clone_obj = NULL;

    INIT_NS_CLASS_ENTRY(ce, "ContactBatch", "Prepared", cb_prepared_methods);
    cb_prepared_ce = zend_register_internal_class(&ce);
    cb_prepared_ce->ce_flags |= ZEND_ACC_FINAL | ZEND_ACC_NO_DYNAMIC_PROPERTIES | ZEND_ACC_NOT_SERIALIZABLE;
    cb_prepared_ce->create_object = cb_prepared_create;
    memcpy(&cb_prepared_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    cb_prepared_handlers.offset = XtOffsetOf(cb_prepared_obj, std);
    cb_prepared_handlers.free_obj = cb_prepared_free_obj;
    cb_prepared_handlers.clone_obj = NULL;

#ifdef ZTS
    /* Threads could race to build the lazy engine: build it now. */
    (void)cb_default();
#endif
    return SUCCESS;
}

PHP_MSHUTDOWN_FUNCTION(contact_batch)
{
    cbatch_engine_free(cb_default_engine);
    cb_default_engine = NULL;
    return SUCCESS;
}

PHP_MINFO_FUNCTION(contact_batch)
{
    php_info_print_table_start();
    php_info_print_table_header(2, "contact_batch support", "enabled");
    php_info_print_table_row(2, "library version", cbatch_version());
    php_info_print_table_row(2, "header version", CBATCH_VERSION);
    php_info_print_table_end();
}

zend_module_entry contact_batch_module_entry = {
    STANDARD_MODULE_HEADER,
    "contact_batch",
    cb_functions,
    PHP_MINIT(contact_batch),
    PHP_MSHUTDOWN(contact_batch),
    NULL,
    NULL,
    PHP_MINFO(contact_batch),
    PHP_CONTACT_BATCH_VERSION,
    STANDARD_MODULE_PROPERTIES
};

#ifdef COMPILE_DL_CONTACT_BATCH
ZEND_GET_MODULE(contact_batch)
#endif
