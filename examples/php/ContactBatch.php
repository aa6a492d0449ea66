<?php
/**
 * contact-batch for PHP, through the FFI extension (PHP >= 7.4; php -d ffi.enable=1
 * on the command line, or ffi.enable=preload with opcache.preload on a server).
 *
 *     require 'ContactBatch.php';
 *     $cb = new ContactBatch('/path/to/libcontactbatch.so', ['profile' => 'rasl-create', 'default_region' => 'US']);
 *     $r = $cb->respond(file_get_contents('php://input'), ['phones' => ['+14155552671' => 'ct_1']]);
 *     http_response_code($r['status']);
 *     echo json_encode($r['body']);
 *
 * Ownership: every buffer the library returns is copied into a PHP string and
 * released with cbatch_buf_free before the method returns; the engine is freed
 * in __destruct, a prepared batch in ContactBatchPrepared::__destruct. One
 * ContactBatch per configuration, built once and reused: building one loads the
 * phone metadata.
 *
 * Errors from the library (a bad config, malformed existing keys, a NULL or
 * oversized input) throw ContactBatchException with the library's message and
 * its result code as the exception code. A malformed request is not an error:
 * it is the API's 4xx response, returned like any other.
 */

declare(strict_types=1);

/** An error reported by libcontactbatch; getCode() is the cbatch_result code. */
class ContactBatchException extends RuntimeException
{
}

final class ContactBatch
{
    /** Result codes of the C API (cbatch_result); the numbers never change. */
    public const OK = 0;
    public const NULL_ARGUMENT = 1;
    public const INVALID_UTF8 = 2;
    public const INVALID_CONFIG = 3;
    public const INVALID_EXISTING = 4;
    public const PANIC = 5;
    public const ENGINE_MISMATCH = 6;
    public const INVALID_LENGTH = 7;

    /** @internal */
    public FFI $ffi;
    /** @internal cbatch_engine* */
    public ?FFI\CData $engine = null;

    /**
     * @param string $libraryPath path to libcontactbatch.so
     * @param array|string $config the engine config, ['profile' => 'rasl-create', 'default_region' => 'US', ...],
     *        or its JSON text
     * @param string|null $headerPath contact_batch_php.h (default: include/ of this repository)
     */
    public function __construct(string $libraryPath, array|string $config, ?string $headerPath = null)
    {
        $headerPath ??= __DIR__ . '/../../include/contact_batch_php.h';
        $header = @file_get_contents($headerPath);
        if ($header === false) {
            throw new ContactBatchException("cannot read the header $headerPath");
        }
        $this->ffi = FFI::cdef($header, $libraryPath);

        $json = is_string($config) ? $config : self::encode($config, ['limits'], self::INVALID_CONFIG);
        $err = $this->ffi->new('cbatch_buf');
        $engine = $this->ffi->cbatch_engine_new($json, strlen($json), FFI::addr($err));
        if ($engine === null || FFI::isNull($engine)) {
            throw new ContactBatchException(
                $this->take($err) ?? 'contact-batch: the engine could not be built',
                self::INVALID_CONFIG
            );
        }
        $this->engine = $engine;
    }

    public function __destruct()
    {
        if ($this->engine !== null) {
            $this->ffi->cbatch_engine_free($this->engine);
            $this->engine = null;
        }
    }

    /** The library's version, e.g. "0.1.0". */
    public function version(): string
    {
        // FFI converts a returned const char * to a PHP string.
        return (string) $this->ffi->cbatch_version();
    }

    /**
     * Both phases in one call.
     *
     * @param string $requestBody the raw HTTP request body
     * @param array|null $existing the keys that exist in the store, as the command
     *        line's --existing file: ['phones' => ['+14155552671' => 'ct_1'], 'ids' => [1],
     *        'external_refs' => [['crm', '42']], 'contact' => [...], 'contact_book' => [...],
     *        'record_list_id' => '...']
     * @return array{status: int, body: array} the API's response
     */
    public function respond(string $requestBody, ?array $existing = null): array
    {
        $ex = self::encodeExisting($existing);
        $out = $this->ffi->new('cbatch_buf');
        $rc = $this->ffi->cbatch_respond(
            $this->engine, $requestBody, strlen($requestBody), $ex, $ex === null ? 0 : strlen($ex), FFI::addr($out)
        );
        $this->check($rc, $ex);
        return self::decode($this->take($out));
    }

    /** Phase one: validate, normalize and dedupe; then ->keys() and ->resolve(). */
    public function prepare(string $requestBody): ContactBatchPrepared
    {
        $handle = $this->ffi->new('cbatch_prepared*');
        $rc = $this->ffi->cbatch_prepare($this->engine, $requestBody, strlen($requestBody), FFI::addr($handle));
        $this->check($rc, null);
        return new ContactBatchPrepared($this, $handle);
    }

    /**
     * Normalizes one phone number.
     *
     * @param string|null $region ISO 3166-1 alpha-2 region for numbers without "+";
     *        null: the configured default_region
     * @return array ['valid' => true, 'e164', 'country_code', 'region', 'number_type', 'extension']
     *         or ['valid' => false, 'error' => code, 'message']
     */
    public function normalizePhone(string $raw, ?string $region = null): array
    {
        $out = $this->ffi->new('cbatch_buf');
        $rc = $this->ffi->cbatch_normalize_phone(
            $this->engine, $raw, strlen($raw), $region, $region === null ? 0 : strlen($region), FFI::addr($out)
        );
        $this->check($rc, null);
        return self::decode($this->take($out));
    }

    /**
     * Validates and normalizes one email address.
     *
     * @return array ['valid' => true, 'normalized', 'key'] or ['valid' => false, 'error' => code, 'message']
     */
    public function validateEmail(string $email): array
    {
        $out = $this->ffi->new('cbatch_buf');
        $rc = $this->ffi->cbatch_validate_email($this->engine, $email, strlen($email), FFI::addr($out));
        $this->check($rc, null);
        return self::decode($this->take($out));
    }

    /**
     * Copies a buf's contents into a PHP string and frees it; null for a
     * buf the library did not fill.
     *
     * @internal
     */
    public function take(FFI\CData $buf): ?string
    {
        try {
            return FFI::isNull($buf->data) ? null : FFI::string($buf->data, $buf->len);
        } finally {
            $this->ffi->cbatch_buf_free(FFI::addr($buf));
        }
    }

    /**
     * Throws for a result code other than OK, with the library's message.
     *
     * @internal
     */
    public function check(int $rc, ?string $existingJson): void
    {
        if ($rc === self::OK) {
            return;
        }
        $name = (string) $this->ffi->cbatch_result_name($rc);
        $message = null;
        if ($rc === self::INVALID_EXISTING && $existingJson !== null) {
            $err = $this->ffi->new('cbatch_buf');
            $this->ffi->cbatch_existing_check($existingJson, strlen($existingJson), FFI::addr($err));
            $message = $this->take($err);
        }
        throw new ContactBatchException($message === null ? "contact-batch: $name" : "$name: $message", $rc);
    }

    /** @internal */
    public static function encodeExisting(?array $existing): ?string
    {
        if ($existing === null || $existing === []) {
            return null;
        }
        return self::encode($existing, ['phones', 'contact', 'contact_book'], self::INVALID_EXISTING);
    }

    /**
     * JSON of an array that must be an object, with the named members that
     * must be objects kept so when empty (json_encode writes [] for them).
     * A value json_encode refuses throws with code $failure (INVALID_UTF8 for
     * invalid UTF-8).
     */
    private static function encode(array $value, array $objectMembers, int $failure): string
    {
        foreach ($objectMembers as $key) {
            if (isset($value[$key]) && $value[$key] === []) {
                $value[$key] = new stdClass();
            }
        }
        try {
            return json_encode((object) $value, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
        } catch (JsonException $e) {
            // Raised before the library is called; the codes match its own.
            $code = $e->getCode() === JSON_ERROR_UTF8 ? self::INVALID_UTF8 : $failure;
            throw new ContactBatchException('contact-batch: cannot encode as JSON: ' . $e->getMessage(), $code, $e);
        }
    }

    /** @internal */
    public static function decode(?string $json): array
    {
        if ($json === null) {
            throw new ContactBatchException('contact-batch: the library returned no output');
        }
        return json_decode($json, true, 1024, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
    }
}

/**
 * A request after phase one. Look its keys() up in the store, then resolve()
 * with the subset that exists; resolve() may be called more than once.
 * Belongs to one thread at a time (PHP's usual case).
 */
final class ContactBatchPrepared
{
    private ContactBatch $owner;
    private ?FFI\CData $handle;

    /** @internal use ContactBatch::prepare() */
    public function __construct(ContactBatch $owner, FFI\CData $handle)
    {
        $this->owner = $owner;
        $this->handle = $handle;
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            $this->owner->ffi->cbatch_prepared_free($this->handle);
            $this->handle = null;
        }
    }

    /**
     * The keys to look up: ['phones' => ['+14155552671', ...], 'ids' => [...],
     * 'external_refs' => [['provider', 'id'], ...], 'rejected' => bool].
     * 'rejected' => true: the request itself was refused (resolve() gives the 4xx).
     */
    public function keys(): array
    {
        $out = $this->owner->ffi->new('cbatch_buf');
        $rc = $this->owner->ffi->cbatch_prepared_keys($this->handle, FFI::addr($out));
        $this->owner->check($rc, null);
        return ContactBatch::decode($this->owner->take($out));
    }

    /**
     * Phase two: the API's response given the keys that exist.
     *
     * @return array{status: int, body: array}
     */
    public function resolve(?array $existing = null): array
    {
        return $this->call('cbatch_resolve', $existing);
    }

    /**
     * Like resolve(), plus 'rejected', 'summary' and per-row 'rows' (status,
     * action, key, normalized contact) for a host that writes the rows itself.
     */
    public function outcome(?array $existing = null): array
    {
        return $this->call('cbatch_resolve_outcome', $existing);
    }

    private function call(string $function, ?array $existing): array
    {
        $ex = ContactBatch::encodeExisting($existing);
        $out = $this->owner->ffi->new('cbatch_buf');
        $rc = $this->owner->ffi->$function(
            $this->owner->engine, $this->handle, $ex, $ex === null ? 0 : strlen($ex), FFI::addr($out)
        );
        $this->owner->check($rc, $ex);
        return ContactBatch::decode($this->owner->take($out));
    }
}
