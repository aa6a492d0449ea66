<?php

/**
 * contact-batch for PHP through the FFI extension (PHP >= 8.1; ffi.enable=1
 * on the command line, or ffi.enable=preload with opcache.preload on a server).
 *
 *     $engine = new ContactBatch\Ffi\Engine(['profile' => 'rasl-create', 'default_region' => 'US']);
 *     $r = $engine->respond(file_get_contents('php://input'), ['phones' => ['+14155552671' => 'ct_1']]);
 *     http_response_code($r['status']);
 *     echo json_encode($r['body']);
 *
 * The library: the $library argument, else the CONTACT_BATCH_LIB environment
 * variable, else the installed SONAME (libcontactbatch.so.0.1, found by the
 * dynamic loader). The header (contact_batch_php.h): the $header argument,
 * else CONTACT_BATCH_HEADER, else next to the library, else in ../include
 * from the library's folder (the install layout), else /usr/local/include
 * and /usr/include.
 *
 * Ownership: every buffer the library returns is copied into a PHP string and
 * released with cbatch_buf_free before the method returns; the engine is freed
 * in __destruct, a prepared batch in Prepared::__destruct. Build one Engine
 * per configuration and reuse it: building one loads the phone metadata.
 *
 * Errors from the library throw ContactBatch\Ffi\Exception subclasses (the
 * extension's hierarchy) with the library's message and its result code as
 * the exception code. A malformed request is not an error: it is the API's
 * 4xx response, returned like any other.
 */

declare(strict_types=1);

namespace ContactBatch\Ffi;

use FFI;
use FFI\CData;

final class Engine
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

    /** The shared library's SONAME for this version of the package. */
    public const SONAME = 'libcontactbatch.so.0.1';

    /** @internal */
    public FFI $ffi;
    /** @internal cbatch_engine* */
    public ?CData $engine = null;

    /**
     * @param array<string, mixed>|string $config the engine config, ['profile' => 'rasl-create',
     *        'default_region' => 'US', ...], or its JSON text
     * @param string|null $library path or name of libcontactbatch (see the file's doc)
     * @param string|null $header path of contact_batch_php.h (see the file's doc)
     */
    public function __construct(array|string $config, ?string $library = null, ?string $header = null)
    {
        $library ??= self::env('CONTACT_BATCH_LIB') ?? self::SONAME;
        $header ??= self::env('CONTACT_BATCH_HEADER') ?? self::findHeader($library);
        $text = @file_get_contents($header);
        if ($text === false) {
            throw new ConfigException("contact-batch: cannot read the header $header", self::INVALID_CONFIG);
        }
        $this->ffi = FFI::cdef($text, $library);

        $json = is_string($config) ? $config : self::encode($config, ['limits'], self::INVALID_CONFIG);
        $err = $this->ffi->new('cbatch_buf');
        $engine = $this->ffi->cbatch_engine_new($json, strlen($json), FFI::addr($err));
        if ($engine === null || FFI::isNull($engine)) {
            throw new ConfigException(
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

    /** The header's path for a library: next to it, in ../include, or the system's include folders. */
    private static function findHeader(string $library): string
    {
        $candidates = [];
        if (str_contains($library, '/')) {
            $dir = dirname($library);
            $candidates[] = "$dir/contact_batch_php.h";
            $candidates[] = "$dir/../include/contact_batch_php.h";
            $candidates[] = "$dir/../../include/contact_batch_php.h"; // a checkout's target/release
        }
        $candidates[] = '/usr/local/include/contact_batch_php.h';
        $candidates[] = '/usr/include/contact_batch_php.h';
        foreach ($candidates as $path) {
            if (is_file($path)) {
                return $path;
            }
        }
        return $candidates[0];
    }

    private static function env(string $name): ?string
    {
        $v = getenv($name);
        return $v === false || $v === '' ? null : $v;
    }

    /** The library's version, e.g. "0.1.0". */
    public function version(): string
    {
        // FFI converts a returned const char * to a PHP string.
        return (string) $this->ffi->cbatch_version();
    }

    /**
     * The libphonenumber metadata release this engine validates phones
     * with, e.g. "9.0.43".
     */
    public function phoneMetadataVersion(): string
    {
        $out = $this->ffi->new('cbatch_buf');
        $rc = $this->ffi->cbatch_engine_phone_metadata_version($this->engine, FFI::addr($out));
        $version = $this->take($out);
        if ($rc !== self::OK || $version === null) {
            throw Exception::forCode($rc, 'contact-batch: ' . $this->ffi->cbatch_result_name($rc));
        }
        return $version;
    }

    /**
     * Compiles the phone patterns of these regions now, so the first batch
     * with their numbers costs what later ones do. Changes no answer.
     *
     * @param list<string>|string $regions ['US', 'GB'] or 'US,GB'
     * @throws ConfigException for a region without phone metadata
     */
    public function warm(array|string $regions): void
    {
        $list = is_string($regions) ? $regions : implode(',', $regions);
        $err = $this->ffi->new('cbatch_buf');
        $rc = $this->ffi->cbatch_engine_warm($this->engine, $list, strlen($list), FFI::addr($err));
        $message = $this->take($err);
        if ($rc !== self::OK) {
            throw Exception::forCode($rc, $message ?? 'contact-batch: ' . $this->ffi->cbatch_result_name($rc));
        }
    }

    /**
     * Both phases in one call.
     *
     * @param string|array<string, mixed> $requestBody the raw HTTP request body, or its decoded array
     * @param array<string, mixed>|string|null $existing the keys that exist in the store, as the
     *        command line's --existing file, either decoded: ['phones' => ['+14155552671' => 'ct_1'],
     *        'ids' => [1], 'external_refs' => [['crm', '42']], 'contact' => [...],
     *        'contact_book' => [...], 'record_list_id' => '...'], or as its JSON text
     * @return array{status: int, body: array<string, mixed>} the API's response
     */
    public function respond(string|array $requestBody, array|string|null $existing = null): array
    {
        return self::decode($this->respondRaw($requestBody, $existing));
    }

    /**
     * As respond(), with the answer as JSON text: {"status": int, "body": {...}}
     * (what the command line prints; nothing decoded on the way).
     *
     * @param string|array<string, mixed> $requestBody
     * @param array<string, mixed>|string|null $existingJson the store as respond()'s $existing
     */
    public function respondJson(string|array $requestBody, array|string|null $existingJson = null): string
    {
        return $this->respondRaw($requestBody, $existingJson) ?? self::decode(null);
    }

    /** @param array<string, mixed>|string|null $existing */
    private function respondRaw(string|array $requestBody, array|string|null $existing): ?string
    {
        $body = self::body($requestBody);
        $ex = self::encodeExisting($existing);
        $out = $this->ffi->new('cbatch_buf');
        $rc = $this->ffi->cbatch_respond(
            $this->engine, $body, strlen($body), $ex, $ex === null ? 0 : strlen($ex), FFI::addr($out)
        );
        $this->check($rc, $ex);
        return $this->take($out);
    }

    /**
     * Phase one: validate, normalize and dedupe; then ->keys() and ->resolve().
     *
     * @param string|array<string, mixed> $requestBody
     */
    public function prepare(string|array $requestBody): Prepared
    {
        $body = self::body($requestBody);
        $handle = $this->ffi->new('cbatch_prepared*');
        $rc = $this->ffi->cbatch_prepare($this->engine, $body, strlen($body), FFI::addr($handle));
        $this->check($rc, null);
        return new Prepared($this, $handle);
    }

    /**
     * The normalized phone, or null when it is not a valid number (usable in
     * `if`); normalizePhoneResult() says why.
     *
     * @param string|null $region ISO 3166-1 alpha-2 region for numbers without "+";
     *        null: the configured default_region
     * @return array{e164: string, country_code: int, region: ?string, number_type: string, extension: ?string}|null
     */
    public function normalizePhone(string $raw, ?string $region = null): ?array
    {
        return self::verdict($this->normalizePhoneResult($raw, $region));
    }

    /**
     * @return array{valid: true, e164: string, country_code: int, region: ?string, number_type: string,
     *         extension: ?string}|array{valid: false, error: string, message: string}
     */
    public function normalizePhoneResult(string $raw, ?string $region = null): array
    {
        $out = $this->ffi->new('cbatch_buf');
        $rc = $this->ffi->cbatch_normalize_phone(
            $this->engine, $raw, strlen($raw), $region, $region === null ? 0 : strlen($region), FFI::addr($out)
        );
        if ($rc === self::INVALID_UTF8) {
            return self::invalidUtf8('phone or region');
        }
        $this->check($rc, null);
        return self::decode($this->take($out));
    }

    /**
     * The normalized address, or null when it is not valid (usable in `if`);
     * validateEmailResult() says why.
     *
     * @return array{normalized: string, key: string}|null
     */
    public function validateEmail(string $email): ?array
    {
        return self::verdict($this->validateEmailResult($email));
    }

    /** @return array{valid: true, normalized: string, key: string}|array{valid: false, error: string, message: string} */
    public function validateEmailResult(string $email): array
    {
        $out = $this->ffi->new('cbatch_buf');
        $rc = $this->ffi->cbatch_validate_email($this->engine, $email, strlen($email), FFI::addr($out));
        if ($rc === self::INVALID_UTF8) {
            return self::invalidUtf8('email');
        }
        $this->check($rc, null);
        return self::decode($this->take($out));
    }

    /** @return array{valid: false, error: string, message: string} */
    private static function invalidUtf8(string $what): array
    {
        return ['valid' => false, 'error' => 'invalid_utf8', 'message' => "the $what is not valid UTF-8"];
    }

    /** @param array<string, mixed> $result */
    private static function verdict(array $result): ?array
    {
        if (($result['valid'] ?? false) !== true) {
            return null;
        }
        unset($result['valid']);
        return $result;
    }

    /**
     * Copies a buf's contents into a PHP string and frees it; null for a
     * buf the library did not fill.
     *
     * @internal
     */
    public function take(CData $buf): ?string
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
        throw Exception::forCode($rc, $message === null ? "contact-batch: $name" : "$name: $message");
    }

    /**
     * A body given as an array is its JSON ([] is {}), exactly as the
     * extension encodes it, so both send the library the same bytes.
     *
     * @param string|array<string, mixed> $body
     */
    private static function body(string|array $body): string
    {
        if (is_string($body)) {
            return $body;
        }
        if ($body === []) {
            return '{}';
        }
        try {
            return json_encode($body, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);
        } catch (\JsonException $e) {
            $code = $e->getCode() === JSON_ERROR_UTF8 ? self::INVALID_UTF8 : self::INVALID_LENGTH;
            throw Exception::forCode($code, 'contact-batch: the body cannot be encoded as JSON: ' . $e->getMessage(), $e);
        }
    }

    /**
     * The existing keys as the library takes them: JSON text as given (the
     * library checks it), an array encoded, null or [] for none.
     *
     * @internal
     * @param array<string, mixed>|string|null $existing
     */
    public static function encodeExisting(array|string|null $existing): ?string
    {
        if (is_string($existing)) {
            return $existing;
        }
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
     *
     * @param array<string, mixed> $value
     * @param list<string> $objectMembers
     */
    private static function encode(array $value, array $objectMembers, int $failure): string
    {
        foreach ($objectMembers as $key) {
            if (isset($value[$key]) && $value[$key] === []) {
                $value[$key] = new \stdClass();
            }
        }
        try {
            return json_encode(
                (object) $value,
                JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION
            );
        } catch (\JsonException $e) {
            // Raised before the library is called; the codes match its own.
            $code = $e->getCode() === JSON_ERROR_UTF8 ? self::INVALID_UTF8 : $failure;
            throw Exception::forCode($code, 'contact-batch: cannot encode as JSON: ' . $e->getMessage(), $e);
        }
    }

    /**
     * @internal
     * @return array<string, mixed>
     */
    public static function decode(?string $json): array
    {
        if ($json === null) {
            throw new InternalException('contact-batch: the library returned no output', self::PANIC);
        }
        try {
            return json_decode($json, true, 1024, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
        } catch (\JsonException $e) {
            throw new InternalException('contact-batch returned JSON that PHP cannot decode', self::PANIC, $e);
        }
    }
}
