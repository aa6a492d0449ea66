/*
 * contact_batch: a PHP extension over the contact-batch C API.
 *
 * The PHP API is declared in contact_batch.stub.php (with array shapes);
 * contact_batch_arginfo.h is generated from it by PHP's gen_stub.php
 * (gen-arginfo.sh). In short, namespace ContactBatch:
 *
 *   final class Engine
 *     __construct(array $config)
 *     static shared(array $config): Engine   this worker's engine for $config
 *     static sharedStats(): array            builds, reuses, evictions, cached, capacity
 *     warm(array|string $regions): void
 *     respond(string|array $body, array|string|null $existing = null): array
 *     respondJson(string|array $body, array|string|null $existingJson = null): string
 *     prepare(string|array $body): Prepared
 *     normalizePhone(string $raw, ?string $region = null): ?array   null when invalid
 *     normalizePhoneResult(string $raw, ?string $region = null): array   ['valid' => bool, ...]
 *     validateEmail(string $email): ?array                       null when invalid
 *     validateEmailResult(string $email): array
 *   final class Prepared: keys(), resolve(?array), outcome(?array)
 *   functions normalize_phone(), normalize_phone_result(), validate_email(),
 *     validate_email_result(): as the Engine methods, on a rasl-create engine
 *     without default region
 *   Exception (extends \RuntimeException) > ConfigException, ExistingException,
 *     InputException, InternalException; getCode() is the cbatch_result code.
 *
 * php.ini (see PHP_INI_BEGIN below): contact_batch.threads (default 1: the
 * threads of an engine whose config does not name them), contact_batch.cache_size
 * (shared engines kept per worker, default 8), contact_batch.warm_regions
 * (regions a shared engine warms when it is built, e.g. "US,GB"),
 * contact_batch.phone_metadata (the phone metadata file of an engine whose
 * config names none: a newer libphonenumber release made by the project's
 * generator; empty: the built-in one).
 *
 * Shared engines: built once per worker process (per thread under ZTS: the
 * cache lives in the module globals) and kept across requests, keyed by the
 * config's JSON with keys sorted recursively and the ini default of threads
 * applied, so ['a' => 1, 'b' => 2] and ['b' => 2, 'a' => 1] share an engine.
 * At most cache_size engines are kept; the least recently used goes first.
 * An engine is reference-counted: one reference for the cache, one per PHP
 * object, so an evicted engine lives until the last object using it is freed.
 *
 * Ownership: every cbatch_buf the library fills is released here with
 * cbatch_buf_free before returning to PHP.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "php_ini.h"
#include "ext/standard/info.h"
#include "ext/json/php_json.h"
#include "ext/spl/spl_exceptions.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"
#include "zend_smart_str.h"

#include "contact_batch.h"

#define PHP_CONTACT_BATCH_VERSION CBATCH_VERSION

/* Engine output nests at most 128 levels (the engine's JSON limit) plus a few. */
#define CB_JSON_DEPTH 512
/* The most shared engines a worker keeps, whatever contact_batch.cache_size says. */
#define CB_CACHE_MAX 256
#define CB_JSON_FLAGS (PHP_JSON_UNESCAPED_UNICODE | PHP_JSON_UNESCAPED_SLASHES | PHP_JSON_PRESERVE_ZERO_FRACTION)

/* An engine with its references: the cache's and each PHP object's. */
typedef struct {
    cbatch_engine *engine;
    uint32_t refs;
} cb_handle;

typedef struct {
    zend_string *key; /* persistent */
    cb_handle *handle;
    uint64_t used;
} cb_entry;

ZEND_BEGIN_MODULE_GLOBALS(contact_batch)
    zend_long threads;
    zend_long cache_size;
    char *warm_regions;
    char *phone_metadata;
    cb_entry cache[CB_CACHE_MAX];
    uint32_t cached;
    uint64_t tick;
    zend_long builds;
    zend_long reuses;
    zend_long evictions;
    cb_handle *default_handle; /* behind the free functions */
ZEND_END_MODULE_GLOBALS(contact_batch)

ZEND_DECLARE_MODULE_GLOBALS(contact_batch)
#define CBG(v) ZEND_MODULE_GLOBALS_ACCESSOR(contact_batch, v)

#include "contact_batch_arginfo.h"

static zend_class_entry *cb_engine_ce;
static zend_class_entry *cb_prepared_ce;
static zend_class_entry *cb_exception_ce;
static zend_class_entry *cb_config_exception_ce;
static zend_class_entry *cb_existing_exception_ce;
static zend_class_entry *cb_input_exception_ce;
static zend_class_entry *cb_internal_exception_ce;
static zend_object_handlers cb_engine_handlers;
static zend_object_handlers cb_prepared_handlers;

typedef struct {
    cb_handle *handle;
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

/* ---- handles ---- */

static cb_handle *cb_handle_new(cbatch_engine *engine)
{
    cb_handle *h = pemalloc(sizeof(cb_handle), 1);
    h->engine = engine;
    h->refs = 1;
    return h;
}

static void cb_handle_release(cb_handle *h)
{
    if (h != NULL && --h->refs == 0) {
        cbatch_engine_free(h->engine);
        pefree(h, 1);
    }
}

/* ---- errors ---- */

/* The exception class of a result code. */
static zend_class_entry *cb_exception_for(int code)
{
    switch (code) {
    case CBATCH_INVALID_CONFIG:
        return cb_config_exception_ce;
    case CBATCH_INVALID_EXISTING:
        return cb_existing_exception_ce;
    case CBATCH_NULL_ARGUMENT:
    case CBATCH_INVALID_UTF8:
    case CBATCH_INVALID_LENGTH:
        return cb_input_exception_ce;
    default:
        return cb_internal_exception_ce;
    }
}

/* Throws for a result code, with the message in `msg` when the library wrote one. */
static void cb_throw_buf(cbatch_buf *msg, int code)
{
    zend_class_entry *ce = cb_exception_for(code);
    if (msg->data != NULL) {
        zend_throw_exception_ex(ce, code, "%.*s", (int)msg->len, msg->data);
    } else {
        zend_throw_exception_ex(ce, code, "contact-batch: %s", cbatch_result_name(code));
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

/* How a walk over a PHP array tree ended. */
typedef enum {
    CB_TREE_OK = 0,
    /* An array holds itself (through a reference): `$x['phones'] = &$x`. */
    CB_TREE_RECURSIVE,
    /* Arrays nested deeper than CB_TREE_DEPTH. */
    CB_TREE_DEEP,
} cb_tree;

/* Arrays nest at most this deep in anything the extension walks (a config,
 * existing keys, an array body): json_encode's own default depth. The engine
 * refuses JSON nested past 128 levels anyway; this bound is what keeps the
 * walk itself (C recursion) from running out of stack. */
#define CB_TREE_DEPTH 512

/* Every walk over a caller's arrays is guarded as php-src's json encoder
 * guards its own (ext/json/json_encoder.c): an array already on the walk's
 * path is marked with GC_PROTECT_RECURSION (immutable arrays cannot be, and
 * cannot hold themselves either), so a self-referencing array ends the walk
 * with CB_TREE_RECURSIVE instead of recursing until the worker's stack is
 * gone; and the depth is counted. */
static bool cb_tree_enter(HashTable *ht, uint32_t depth, cb_tree *why)
{
    if (depth >= CB_TREE_DEPTH) {
        *why = CB_TREE_DEEP;
        return false;
    }
    if (GC_IS_RECURSIVE(ht)) {
        *why = CB_TREE_RECURSIVE;
        return false;
    }
    GC_TRY_PROTECT_RECURSION(ht);
    return true;
}

static void cb_tree_leave(HashTable *ht)
{
    GC_TRY_UNPROTECT_RECURSION(ht);
}

/* The message for a walk that failed. */
static const char *cb_tree_why(cb_tree why)
{
    return why == CB_TREE_RECURSIVE ? "an array refers to itself (recursive reference)"
                                    : "arrays nested more than 512 levels deep";
}

/* Checks that `v` is a tree (no array holds itself) at most CB_TREE_DEPTH
 * deep, before php_json_encode walks it. */
static cb_tree cb_tree_check(zval *v, uint32_t depth)
{
    ZVAL_DEREF(v);
    if (Z_TYPE_P(v) != IS_ARRAY) {
        return CB_TREE_OK;
    }
    HashTable *ht = Z_ARRVAL_P(v);
    cb_tree why = CB_TREE_OK;
    if (!cb_tree_enter(ht, depth, &why)) {
        return why;
    }
    zval *value;
    ZEND_HASH_FOREACH_VAL(ht, value) {
        why = cb_tree_check(value, depth + 1);
        if (why != CB_TREE_OK) {
            break;
        }
    } ZEND_HASH_FOREACH_END();
    cb_tree_leave(ht);
    return why;
}

/* A copy of `src` whose arrays (at every depth) have their keys sorted, and
 * whose members named in `objects` (top level only) are written as {} when
 * they are empty arrays (json_encode writes [] for those, no JSON object).
 * On failure `dst` is left undefined (nothing to free). */
static cb_tree cb_normalized_copy(zval *dst, zval *src, const char *const *objects, bool sort, uint32_t depth);

static int cb_key_compare(Bucket *a, Bucket *b)
{
    if (a->key == NULL && b->key == NULL) {
        return a->h < b->h ? -1 : (a->h > b->h ? 1 : 0);
    }
    if (a->key == NULL) {
        return -1;
    }
    if (b->key == NULL) {
        return 1;
    }
    return zend_binary_strcmp(ZSTR_VAL(a->key), ZSTR_LEN(a->key), ZSTR_VAL(b->key), ZSTR_LEN(b->key));
}

static cb_tree cb_normalized_copy(zval *dst, zval *src, const char *const *objects, bool sort, uint32_t depth)
{
    ZVAL_DEREF(src);
    if (Z_TYPE_P(src) != IS_ARRAY) {
        ZVAL_COPY(dst, src);
        return CB_TREE_OK;
    }
    HashTable *ht = Z_ARRVAL_P(src);
    cb_tree why = CB_TREE_OK;
    if (!cb_tree_enter(ht, depth, &why)) {
        ZVAL_UNDEF(dst);
        return why;
    }
    array_init_size(dst, zend_hash_num_elements(ht));
    zend_string *key;
    zend_ulong index;
    zval *value;
    ZEND_HASH_FOREACH_KEY_VAL(ht, index, key, value) {
        zval copy;
        ZVAL_DEREF(value);
        bool as_object = false;
        if (objects != NULL && key != NULL && Z_TYPE_P(value) == IS_ARRAY
            && zend_hash_num_elements(Z_ARRVAL_P(value)) == 0) {
            for (const char *const *name = objects; *name != NULL; name++) {
                if (zend_string_equals_cstr(key, *name, strlen(*name))) {
                    as_object = true;
                }
            }
        }
        if (as_object) {
            object_init(&copy);
        } else {
            why = cb_normalized_copy(&copy, value, NULL, sort, depth + 1);
            if (why != CB_TREE_OK) {
                break;
            }
        }
        if (key != NULL) {
            zend_hash_update(Z_ARRVAL_P(dst), key, &copy);
        } else {
            zend_hash_index_update(Z_ARRVAL_P(dst), index, &copy);
        }
    } ZEND_HASH_FOREACH_END();
    cb_tree_leave(ht);
    if (why != CB_TREE_OK) {
        zval_ptr_dtor(dst);
        ZVAL_UNDEF(dst);
        return why;
    }
    if (sort) {
        zend_hash_sort(Z_ARRVAL_P(dst), cb_key_compare, false);
    }
    return CB_TREE_OK;
}

/* Throws for a failed walk over `what`, with the exception class of `code`. */
static void cb_throw_tree(cb_tree why, int code, const char *what)
{
    zend_throw_exception_ex(cb_exception_for(code), code, "contact-batch: %s cannot be encoded as JSON: %s", what,
                            cb_tree_why(why));
}

/* JSON of an array that must be a JSON object ([] becomes {}). */
static zend_result cb_encode_object(smart_str *out, zval *value, int code, const char *what)
{
    if (Z_TYPE_P(value) == IS_ARRAY && zend_hash_num_elements(Z_ARRVAL_P(value)) == 0) {
        smart_str_appends(out, "{}");
        smart_str_0(out);
        return SUCCESS;
    }
    /* (A key that is not UTF-8 is written as null with SUCCESS: the error code tells.) */
    JSON_G(error_code) = PHP_JSON_ERROR_NONE;
    if (php_json_encode(out, value, CB_JSON_FLAGS) == FAILURE || JSON_G(error_code) != PHP_JSON_ERROR_NONE) {
        smart_str_free(out);
        php_json_error_code error = JSON_G(error_code);
        const char *why = error == PHP_JSON_ERROR_UTF8 ? "malformed UTF-8 characters"
                          : error == PHP_JSON_ERROR_DEPTH ? "nested too deeply"
                          : error == PHP_JSON_ERROR_RECURSION ? "recursive references"
                          : error == PHP_JSON_ERROR_INF_OR_NAN ? "INF or NAN"
                          : error == PHP_JSON_ERROR_UNSUPPORTED_TYPE ? "a type JSON cannot hold"
                          : "an encoding error";
        /* The class follows the code, as everywhere: invalid UTF-8 is an InputException. */
        int rc = error == PHP_JSON_ERROR_UTF8 ? CBATCH_INVALID_UTF8 : code;
        zend_throw_exception_ex(cb_exception_for(rc), rc, "contact-batch: %s cannot be encoded as JSON: %s", what, why);
        JSON_G(error_code) = PHP_JSON_ERROR_NONE;
        return FAILURE;
    }
    smart_str_0(out);
    return SUCCESS;
}

/* The config's JSON: keys sorted, `limits` kept an object, the ini's threads
 * and phone_metadata applied when the config names none. The same text is
 * the cache key (a shared engine keeps the file it read: a new file at the
 * same path takes a new worker, or another cache key). */
static zend_result cb_config_json(HashTable *config, smart_str *out)
{
    static const char *const objects[] = {"limits", NULL};
    zval src, norm;
    ZVAL_ARR(&src, config);
    cb_tree why = cb_normalized_copy(&norm, &src, objects, true, 0);
    if (why != CB_TREE_OK) {
        cb_throw_tree(why, CBATCH_INVALID_CONFIG, "the config");
        return FAILURE;
    }
    if (CBG(threads) > 0 && zend_hash_str_find(Z_ARRVAL(norm), "threads", sizeof("threads") - 1) == NULL) {
        zval t;
        ZVAL_LONG(&t, CBG(threads));
        zend_hash_str_update(Z_ARRVAL(norm), "threads", sizeof("threads") - 1, &t);
        zend_hash_sort(Z_ARRVAL(norm), cb_key_compare, false);
    }
    const char *metadata = CBG(phone_metadata);
    if (metadata != NULL && metadata[0] != '\0' &&
        zend_hash_str_find(Z_ARRVAL(norm), "phone_metadata", sizeof("phone_metadata") - 1) == NULL) {
        zval m;
        ZVAL_STRING(&m, metadata);
        zend_hash_str_update(Z_ARRVAL(norm), "phone_metadata", sizeof("phone_metadata") - 1, &m);
        zend_hash_sort(Z_ARRVAL(norm), cb_key_compare, false);
    }
    zend_result r = cb_encode_object(out, &norm, CBATCH_INVALID_CONFIG, "the config");
    zval_ptr_dtor(&norm);
    return r;
}

/* Existing keys as JSON; out->s stays NULL for null or [] (none exists).
 * `phones`, `contact` and `contact_book` are objects even when empty, so
 * ['phones' => []] means "no phone exists", as in the FFI class. */
static zend_result cb_encode_existing(zval *existing, smart_str *out)
{
    static const char *const objects[] = {"phones", "contact", "contact_book", NULL};
    if (existing == NULL || Z_TYPE_P(existing) != IS_ARRAY || zend_hash_num_elements(Z_ARRVAL_P(existing)) == 0) {
        return SUCCESS;
    }
    zval norm;
    cb_tree why = cb_normalized_copy(&norm, existing, objects, false, 0);
    if (why != CB_TREE_OK) {
        cb_throw_tree(why, CBATCH_INVALID_EXISTING, "the existing keys");
        return FAILURE;
    }
    zend_result r = cb_encode_object(out, &norm, CBATCH_INVALID_EXISTING, "the existing keys");
    zval_ptr_dtor(&norm);
    return r;
}

/* The existing keys of respond()/resolve()/outcome(): a string is JSON text
 * given to the library as is (it says what is wrong with it), an array is
 * encoded (cb_encode_existing), null is none. *data stays NULL for none. */
static zend_result cb_existing_from(HashTable *arr, zend_string *str, smart_str *ex,
                                    const char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (str != NULL) {
        *data = ZSTR_VAL(str);
        *len = ZSTR_LEN(str);
        return SUCCESS;
    }
    if (arr == NULL) {
        return SUCCESS;
    }
    zval tmp;
    ZVAL_ARR(&tmp, arr);
    if (cb_encode_existing(&tmp, ex) == FAILURE) {
        return FAILURE;
    }
    if (ex->s) {
        *data = ZSTR_VAL(ex->s);
        *len = ZSTR_LEN(ex->s);
    }
    return SUCCESS;
}

/* A request body given as a string (used as is) or an array (encoded). */
typedef struct {
    const char *data;
    size_t len;
    smart_str json;
} cb_body;

static zend_result cb_body_from(cb_body *b, zend_string *str, HashTable *arr)
{
    memset(b, 0, sizeof(*b));
    if (str != NULL) {
        b->data = ZSTR_VAL(str);
        b->len = ZSTR_LEN(str);
        return SUCCESS;
    }
    zval v;
    ZVAL_ARR(&v, arr);
    cb_tree why = cb_tree_check(&v, 0);
    if (why != CB_TREE_OK) {
        cb_throw_tree(why, CBATCH_INVALID_LENGTH, "the body");
        return FAILURE;
    }
    if (cb_encode_object(&b->json, &v, CBATCH_INVALID_LENGTH, "the body") == FAILURE) {
        return FAILURE;
    }
    b->data = ZSTR_VAL(b->json.s);
    b->len = ZSTR_LEN(b->json.s);
    return SUCCESS;
}

/* Decodes a buf the library filled into return_value, then frees the buf. */
static void cb_decode_into(zval *return_value, cbatch_buf *buf)
{
    if (php_json_decode_ex(return_value, buf->data, buf->len, PHP_JSON_OBJECT_AS_ARRAY, CB_JSON_DEPTH) == FAILURE) {
        ZVAL_NULL(return_value);
        zend_throw_exception(cb_internal_exception_ce, "contact-batch returned JSON that PHP cannot decode",
                             CBATCH_PANIC);
    }
    cbatch_buf_free(buf);
}

/* ---- engines ---- */

static cbatch_engine *cb_engine_or_throw(zval *self)
{
    cb_engine_obj *o = cb_engine_from(Z_OBJ_P(self));
    if (o->handle == NULL) {
        zend_throw_exception(cb_exception_ce, "the engine was not constructed", 0);
        return NULL;
    }
    return o->handle->engine;
}

/* Builds an engine from config JSON; throws ConfigException and returns NULL on failure. */
static cbatch_engine *cb_build(const char *json, size_t len)
{
    cbatch_buf err = {0};
    cbatch_engine *engine = cbatch_engine_new(json, len, &err);
    if (engine == NULL) {
        cb_throw_buf(&err, CBATCH_INVALID_CONFIG);
    }
    return engine;
}

static zend_result cb_warm(cbatch_engine *engine, const char *regions, size_t len)
{
    cbatch_buf err = {0};
    int rc = cbatch_engine_warm(engine, regions, len, &err);
    if (rc != CBATCH_OK) {
        cb_throw_buf(&err, rc);
        return FAILURE;
    }
    return SUCCESS;
}

static cb_handle *cb_default(void)
{
    if (CBG(default_handle) == NULL) {
        static const char config[] = "{\"profile\":\"rasl-create\",\"threads\":1}";
        cbatch_engine *engine = cb_build(config, sizeof(config) - 1);
        if (engine == NULL) {
            return NULL;
        }
        CBG(default_handle) = cb_handle_new(engine);
    }
    return CBG(default_handle);
}

static uint32_t cb_capacity(void)
{
    zend_long n = CBG(cache_size);
    return n < 0 ? 0 : (n > CB_CACHE_MAX ? CB_CACHE_MAX : (uint32_t)n);
}

/* Drops the least recently used entries until at most `keep` remain. */
static void cb_cache_trim(uint32_t keep)
{
    while (CBG(cached) > keep) {
        uint32_t oldest = 0;
        for (uint32_t i = 1; i < CBG(cached); i++) {
            if (CBG(cache)[i].used < CBG(cache)[oldest].used) {
                oldest = i;
            }
        }
        zend_string_release(CBG(cache)[oldest].key);
        cb_handle_release(CBG(cache)[oldest].handle);
        CBG(cache)[oldest] = CBG(cache)[CBG(cached) - 1];
        CBG(cached)--;
        CBG(evictions)++;
    }
}

/* This worker's engine for the config JSON `key`: from the cache, or built,
 * warmed with contact_batch.warm_regions and cached. Returns a new reference. */
static cb_handle *cb_shared(zend_string *key)
{
    /* The capacity may have been lowered (ini_set) since entries were cached. */
    cb_cache_trim(cb_capacity());
    for (uint32_t i = 0; i < CBG(cached); i++) {
        cb_entry *e = &CBG(cache)[i];
        if (zend_string_equals(e->key, key)) {
            e->used = ++CBG(tick);
            CBG(reuses)++;
            e->handle->refs++;
            return e->handle;
        }
    }
    cbatch_engine *engine = cb_build(ZSTR_VAL(key), ZSTR_LEN(key));
    if (engine == NULL) {
        return NULL;
    }
    const char *regions = CBG(warm_regions);
    if (regions != NULL && *regions != '\0' && cb_warm(engine, regions, strlen(regions)) == FAILURE) {
        cbatch_engine_free(engine);
        return NULL;
    }
    CBG(builds)++;
    cb_handle *h = cb_handle_new(engine);
    uint32_t capacity = cb_capacity();
    if (capacity == 0) {
        return h; /* caching off: the object holds the only reference */
    }
    cb_cache_trim(capacity - 1);
    cb_entry *e = &CBG(cache)[CBG(cached)++];
    e->key = zend_string_init(ZSTR_VAL(key), ZSTR_LEN(key), 1);
    e->handle = h;
    e->used = ++CBG(tick);
    h->refs++;
    return h;
}

/* ---- object handlers ---- */

static zend_object *cb_engine_create(zend_class_entry *ce)
{
    cb_engine_obj *o = zend_object_alloc(sizeof(cb_engine_obj), ce);
    zend_object_std_init(&o->std, ce);
    object_properties_init(&o->std, ce);
    o->std.handlers = &cb_engine_handlers;
    o->handle = NULL;
    return &o->std;
}

static void cb_engine_free_obj(zend_object *obj)
{
    cb_engine_obj *o = cb_engine_from(obj);
    cb_handle_release(o->handle);
    o->handle = NULL;
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

ZEND_METHOD(ContactBatch_Engine, __construct)
{
    HashTable *config;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(config)
    ZEND_PARSE_PARAMETERS_END();

    cb_engine_obj *o = cb_engine_from(Z_OBJ_P(ZEND_THIS));
    if (o->handle != NULL) {
        zend_throw_exception(cb_exception_ce, "the engine is already constructed", 0);
        RETURN_THROWS();
    }
    smart_str json = {0};
    if (cb_config_json(config, &json) == FAILURE) {
        RETURN_THROWS();
    }
    cbatch_engine *engine = cb_build(ZSTR_VAL(json.s), ZSTR_LEN(json.s));
    smart_str_free(&json);
    if (engine == NULL) {
        RETURN_THROWS();
    }
    o->handle = cb_handle_new(engine);
}

ZEND_METHOD(ContactBatch_Engine, shared)
{
    HashTable *config;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(config)
    ZEND_PARSE_PARAMETERS_END();

    smart_str json = {0};
    if (cb_config_json(config, &json) == FAILURE) {
        RETURN_THROWS();
    }
    cb_handle *h = cb_shared(json.s);
    smart_str_free(&json);
    if (h == NULL) {
        RETURN_THROWS();
    }
    object_init_ex(return_value, cb_engine_ce);
    cb_engine_from(Z_OBJ_P(return_value))->handle = h;
}

ZEND_METHOD(ContactBatch_Engine, sharedStats)
{
    ZEND_PARSE_PARAMETERS_NONE();
    array_init_size(return_value, 5);
    add_assoc_long(return_value, "builds", CBG(builds));
    add_assoc_long(return_value, "reuses", CBG(reuses));
    add_assoc_long(return_value, "evictions", CBG(evictions));
    add_assoc_long(return_value, "cached", (zend_long)CBG(cached));
    add_assoc_long(return_value, "capacity", (zend_long)cb_capacity());
}

ZEND_METHOD(ContactBatch_Engine, warm)
{
    zend_string *str = NULL;
    HashTable *arr = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT_OR_STR(arr, str)
    ZEND_PARSE_PARAMETERS_END();

    cbatch_engine *engine = cb_engine_or_throw(ZEND_THIS);
    if (engine == NULL) {
        RETURN_THROWS();
    }
    if (str != NULL) {
        cb_warm(engine, ZSTR_VAL(str), ZSTR_LEN(str));
        return;
    }
    smart_str list = {0};
    zval *v;
    ZEND_HASH_FOREACH_VAL(arr, v) {
        ZVAL_DEREF(v);
        if (Z_TYPE_P(v) != IS_STRING || memchr(Z_STRVAL_P(v), ',', Z_STRLEN_P(v)) != NULL) {
            smart_str_free(&list);
            zend_argument_type_error(1, "must be a list of region codes (strings without ',') or a string");
            RETURN_THROWS();
        }
        if (list.s != NULL) {
            smart_str_appendc(&list, ',');
        }
        smart_str_append(&list, Z_STR_P(v));
    } ZEND_HASH_FOREACH_END();
    smart_str_0(&list);
    if (list.s != NULL) {
        cb_warm(engine, ZSTR_VAL(list.s), ZSTR_LEN(list.s));
    }
    smart_str_free(&list);
}

ZEND_METHOD(ContactBatch_Engine, phoneMetadataVersion)
{
    ZEND_PARSE_PARAMETERS_NONE();
    cbatch_engine *engine = cb_engine_or_throw(ZEND_THIS);
    if (engine == NULL) {
        RETURN_THROWS();
    }
    cbatch_buf out = {0};
    int rc = cbatch_engine_phone_metadata_version(engine, &out);
    if (rc != CBATCH_OK) {
        cb_throw_buf(&out, rc);
        RETURN_THROWS();
    }
    RETVAL_STRINGL(out.data, out.len);
    cbatch_buf_free(&out);
}

/* respond() and respondJson(): the body, then the existing keys. */
static void cb_respond(INTERNAL_FUNCTION_PARAMETERS, bool json_out)
{
    zend_string *body_str = NULL;
    HashTable *body_arr = NULL;
    HashTable *ex_arr = NULL;
    zend_string *ex_str = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ARRAY_HT_OR_STR(body_arr, body_str)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT_OR_STR_OR_NULL(ex_arr, ex_str)
    ZEND_PARSE_PARAMETERS_END();

    cbatch_engine *engine = cb_engine_or_throw(ZEND_THIS);
    if (engine == NULL) {
        RETURN_THROWS();
    }
    cb_body body;
    if (cb_body_from(&body, body_str, body_arr) == FAILURE) {
        RETURN_THROWS();
    }
    smart_str ex = {0};
    const char *ex_data;
    size_t ex_len;
    if (cb_existing_from(ex_arr, ex_str, &ex, &ex_data, &ex_len) == FAILURE) {
        smart_str_free(&body.json);
        RETURN_THROWS();
    }
    cbatch_buf out = {0};
    int rc = cbatch_respond(engine, body.data, body.len, ex_data, ex_len, &out);
    smart_str_free(&body.json);
    if (rc != CBATCH_OK) {
        cb_throw_result(rc, ex_data, ex_len);
        smart_str_free(&ex);
        RETURN_THROWS();
    }
    smart_str_free(&ex);
    if (json_out) {
        RETVAL_STRINGL(out.data, out.len);
        cbatch_buf_free(&out);
    } else {
        cb_decode_into(return_value, &out);
    }
}

ZEND_METHOD(ContactBatch_Engine, respond)
{
    cb_respond(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

ZEND_METHOD(ContactBatch_Engine, respondJson)
{
    cb_respond(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

ZEND_METHOD(ContactBatch_Engine, prepare)
{
    zend_string *body_str = NULL;
    HashTable *body_arr = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT_OR_STR(body_arr, body_str)
    ZEND_PARSE_PARAMETERS_END();

    cbatch_engine *engine = cb_engine_or_throw(ZEND_THIS);
    if (engine == NULL) {
        RETURN_THROWS();
    }
    cb_body body;
    if (cb_body_from(&body, body_str, body_arr) == FAILURE) {
        RETURN_THROWS();
    }
    cbatch_prepared *prepared = NULL;
    int rc = cbatch_prepare(engine, body.data, body.len, &prepared);
    smart_str_free(&body.json);
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

/* ---- single values ---- */

/* The answer for input that is not UTF-8, in the library's shape. */
static void cb_invalid_utf8(zval *return_value, const char *what)
{
    array_init_size(return_value, 3);
    add_assoc_bool(return_value, "valid", 0);
    add_assoc_string(return_value, "error", "invalid_utf8");
    add_assoc_str(return_value, "message", zend_strpprintf(0, "the %s is not valid UTF-8", what));
}

/* Turns ['valid' => true, ...] into [...] and ['valid' => false, ...] into null. */
static void cb_verdict(zval *return_value)
{
    if (Z_TYPE_P(return_value) != IS_ARRAY) {
        return;
    }
    zval *valid = zend_hash_str_find(Z_ARRVAL_P(return_value), "valid", sizeof("valid") - 1);
    if (valid == NULL || Z_TYPE_P(valid) != IS_TRUE) {
        zval_ptr_dtor(return_value);
        ZVAL_NULL(return_value);
        return;
    }
    zend_hash_str_del(Z_ARRVAL_P(return_value), "valid", sizeof("valid") - 1);
}

static void cb_phone(zval *return_value, cbatch_engine *engine, zend_string *raw, zend_string *region, bool verdict)
{
    cbatch_buf out = {0};
    int rc = cbatch_normalize_phone(engine, ZSTR_VAL(raw), ZSTR_LEN(raw), region ? ZSTR_VAL(region) : NULL,
                                    region ? ZSTR_LEN(region) : 0, &out);
    if (rc == CBATCH_INVALID_UTF8) {
        cb_invalid_utf8(return_value, "phone or region");
    } else if (rc != CBATCH_OK) {
        cb_throw_result(rc, NULL, 0);
        return;
    } else {
        cb_decode_into(return_value, &out);
    }
    if (verdict) {
        cb_verdict(return_value);
    }
}

static void cb_email(zval *return_value, cbatch_engine *engine, zend_string *email, bool verdict)
{
    cbatch_buf out = {0};
    int rc = cbatch_validate_email(engine, ZSTR_VAL(email), ZSTR_LEN(email), &out);
    if (rc == CBATCH_INVALID_UTF8) {
        cb_invalid_utf8(return_value, "email");
    } else if (rc != CBATCH_OK) {
        cb_throw_result(rc, NULL, 0);
        return;
    } else {
        cb_decode_into(return_value, &out);
    }
    if (verdict) {
        cb_verdict(return_value);
    }
}

#define CB_PHONE_ARGS                                                                                            \
    zend_string *raw;                                                                                            \
    zend_string *region = NULL;                                                                                  \
    ZEND_PARSE_PARAMETERS_START(1, 2)                                                                            \
        Z_PARAM_STR(raw)                                                                                         \
        Z_PARAM_OPTIONAL                                                                                         \
        Z_PARAM_STR_OR_NULL(region)                                                                              \
    ZEND_PARSE_PARAMETERS_END()

#define CB_EMAIL_ARGS                                                                                            \
    zend_string *email;                                                                                          \
    ZEND_PARSE_PARAMETERS_START(1, 1)                                                                            \
        Z_PARAM_STR(email)                                                                                       \
    ZEND_PARSE_PARAMETERS_END()

#define CB_THIS_ENGINE(var)                                                                                      \
    cbatch_engine *var = cb_engine_or_throw(ZEND_THIS);                                                          \
    if (var == NULL) {                                                                                           \
        RETURN_THROWS();                                                                                         \
    }

#define CB_DEFAULT_ENGINE(var)                                                                                   \
    cb_handle *var##_h = cb_default();                                                                           \
    if (var##_h == NULL) {                                                                                       \
        RETURN_THROWS();                                                                                         \
    }                                                                                                            \
    cbatch_engine *var = var##_h->engine;

ZEND_METHOD(ContactBatch_Engine, normalizePhone)
{
    CB_PHONE_ARGS;
    CB_THIS_ENGINE(engine);
    cb_phone(return_value, engine, raw, region, true);
}

ZEND_METHOD(ContactBatch_Engine, normalizePhoneResult)
{
    CB_PHONE_ARGS;
    CB_THIS_ENGINE(engine);
    cb_phone(return_value, engine, raw, region, false);
}

ZEND_METHOD(ContactBatch_Engine, validateEmail)
{
    CB_EMAIL_ARGS;
    CB_THIS_ENGINE(engine);
    cb_email(return_value, engine, email, true);
}

ZEND_METHOD(ContactBatch_Engine, validateEmailResult)
{
    CB_EMAIL_ARGS;
    CB_THIS_ENGINE(engine);
    cb_email(return_value, engine, email, false);
}

ZEND_FUNCTION(ContactBatch_normalize_phone)
{
    CB_PHONE_ARGS;
    CB_DEFAULT_ENGINE(engine);
    cb_phone(return_value, engine, raw, region, true);
}

ZEND_FUNCTION(ContactBatch_normalize_phone_result)
{
    CB_PHONE_ARGS;
    CB_DEFAULT_ENGINE(engine);
    cb_phone(return_value, engine, raw, region, false);
}

ZEND_FUNCTION(ContactBatch_validate_email)
{
    CB_EMAIL_ARGS;
    CB_DEFAULT_ENGINE(engine);
    cb_email(return_value, engine, email, true);
}

ZEND_FUNCTION(ContactBatch_validate_email_result)
{
    CB_EMAIL_ARGS;
    CB_DEFAULT_ENGINE(engine);
    cb_email(return_value, engine, email, false);
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
ZEND_METHOD(ContactBatch_Prepared, __construct)
{
    ZEND_PARSE_PARAMETERS_NONE();
}

ZEND_METHOD(ContactBatch_Prepared, keys)
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

typedef int (*cb_resolve_fn)(const cbatch_engine *, const cbatch_prepared *, const char *, size_t, cbatch_buf *);

static void cb_resolve(INTERNAL_FUNCTION_PARAMETERS, cb_resolve_fn resolve)
{
    HashTable *ex_arr = NULL;
    zend_string *ex_str = NULL;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT_OR_STR_OR_NULL(ex_arr, ex_str)
    ZEND_PARSE_PARAMETERS_END();

    cb_prepared_obj *p = cb_prepared_or_throw(ZEND_THIS);
    if (p == NULL) {
        RETURN_THROWS();
    }
    smart_str ex = {0};
    const char *ex_data;
    size_t ex_len;
    if (cb_existing_from(ex_arr, ex_str, &ex, &ex_data, &ex_len) == FAILURE) {
        RETURN_THROWS();
    }
    cbatch_buf out = {0};
    int rc = resolve(cb_engine_from(p->engine_obj)->handle->engine, p->prepared, ex_data, ex_len, &out);
    if (rc != CBATCH_OK) {
        cb_throw_result(rc, ex_data, ex_len);
        smart_str_free(&ex);
        RETURN_THROWS();
    }
    smart_str_free(&ex);
    cb_decode_into(return_value, &out);
}

ZEND_METHOD(ContactBatch_Prepared, resolve)
{
    cb_resolve(INTERNAL_FUNCTION_PARAM_PASSTHRU, cbatch_resolve);
}

ZEND_METHOD(ContactBatch_Prepared, outcome)
{
    cb_resolve(INTERNAL_FUNCTION_PARAM_PASSTHRU, cbatch_resolve_outcome);
}

/* ---- module ---- */

PHP_INI_BEGIN()
    /* Threads of an engine whose config names none; 0: the library's default (one per core). */
    STD_PHP_INI_ENTRY("contact_batch.threads", "1", PHP_INI_ALL, OnUpdateLong, threads,
                      zend_contact_batch_globals, contact_batch_globals)
    /* Shared engines kept per worker (at most 256; 0: none kept, each shared() builds). */
    STD_PHP_INI_ENTRY("contact_batch.cache_size", "8", PHP_INI_ALL, OnUpdateLong, cache_size,
                      zend_contact_batch_globals, contact_batch_globals)
    /* Regions a shared engine warms when it is built, e.g. "US,GB,DE". */
    STD_PHP_INI_ENTRY("contact_batch.warm_regions", "", PHP_INI_ALL, OnUpdateString, warm_regions,
                      zend_contact_batch_globals, contact_batch_globals)
    /* The phone metadata file of an engine whose config names none (empty: built in). */
    STD_PHP_INI_ENTRY("contact_batch.phone_metadata", "", PHP_INI_ALL, OnUpdateString, phone_metadata,
                      zend_contact_batch_globals, contact_batch_globals)
PHP_INI_END()

static PHP_GINIT_FUNCTION(contact_batch)
{
#if defined(COMPILE_DL_CONTACT_BATCH) && defined(ZTS)
    ZEND_TSRMLS_CACHE_UPDATE();
#endif
    memset(contact_batch_globals, 0, sizeof(*contact_batch_globals));
}

static PHP_GSHUTDOWN_FUNCTION(contact_batch)
{
    for (uint32_t i = 0; i < contact_batch_globals->cached; i++) {
        zend_string_release(contact_batch_globals->cache[i].key);
        cb_handle_release(contact_batch_globals->cache[i].handle);
    }
    contact_batch_globals->cached = 0;
    cb_handle_release(contact_batch_globals->default_handle);
    contact_batch_globals->default_handle = NULL;
}

PHP_MINIT_FUNCTION(contact_batch)
{
    REGISTER_INI_ENTRIES();

    cb_exception_ce = register_class_ContactBatch_Exception(spl_ce_RuntimeException);
    cb_config_exception_ce = register_class_ContactBatch_ConfigException(cb_exception_ce);
    cb_existing_exception_ce = register_class_ContactBatch_ExistingException(cb_exception_ce);
    cb_input_exception_ce = register_class_ContactBatch_InputException(cb_exception_ce);
    cb_internal_exception_ce = register_class_ContactBatch_InternalException(cb_exception_ce);

    cb_engine_ce = register_class_ContactBatch_Engine();
    cb_engine_ce->create_object = cb_engine_create;
    memcpy(&cb_engine_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    cb_engine_handlers.offset = XtOffsetOf(cb_engine_obj, std);
    cb_engine_handlers.free_obj = cb_engine_free_obj;
    cb_engine_handlers.clone_obj = NULL;

    cb_prepared_ce = register_class_ContactBatch_Prepared();
    cb_prepared_ce->create_object = cb_prepared_create;
    memcpy(&cb_prepared_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    cb_prepared_handlers.offset = XtOffsetOf(cb_prepared_obj, std);
    cb_prepared_handlers.free_obj = cb_prepared_free_obj;
    cb_prepared_handlers.clone_obj = NULL;
    return SUCCESS;
}

PHP_MSHUTDOWN_FUNCTION(contact_batch)
{
    UNREGISTER_INI_ENTRIES();
    return SUCCESS;
}

PHP_MINFO_FUNCTION(contact_batch)
{
    php_info_print_table_start();
    php_info_print_table_header(2, "contact_batch support", "enabled");
    php_info_print_table_row(2, "library version", cbatch_version());
    php_info_print_table_row(2, "header version", CBATCH_VERSION);
    php_info_print_table_end();
    DISPLAY_INI_ENTRIES();
}

static const zend_module_dep cb_deps[] = {
    ZEND_MOD_REQUIRED("json")
    ZEND_MOD_REQUIRED("spl")
    ZEND_MOD_END
};

zend_module_entry contact_batch_module_entry = {
    STANDARD_MODULE_HEADER_EX,
    NULL,
    cb_deps,
    "contact_batch",
    ext_functions,
    PHP_MINIT(contact_batch),
    PHP_MSHUTDOWN(contact_batch),
    NULL,
    NULL,
    PHP_MINFO(contact_batch),
    PHP_CONTACT_BATCH_VERSION,
    PHP_MODULE_GLOBALS(contact_batch),
    PHP_GINIT(contact_batch),
    PHP_GSHUTDOWN(contact_batch),
    NULL,
    STANDARD_MODULE_PROPERTIES_EX
};

#ifdef COMPILE_DL_CONTACT_BATCH
#ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
#endif
ZEND_GET_MODULE(contact_batch)
#endif
