<?php

/**
 * @generate-class-entries
 * @generate-legacy-arginfo 80000
 */

namespace ContactBatch {

    /**
     * The base of every exception the extension throws; getCode() is the
     * C API's result code (cbatch_result).
     */
    class Exception extends \RuntimeException
    {
    }

    /** An engine config, or warm-up regions, the engine cannot run with (code 3). */
    class ConfigException extends Exception
    {
    }

    /** The existing-keys array is malformed (code 4). */
    class ExistingException extends Exception
    {
    }

    /** An argument that cannot be used: not encodable as JSON, invalid UTF-8 in a config or existing keys (codes 1, 2, 7). */
    class InputException extends Exception
    {
    }

    /** A bug inside the library, caught at the boundary (code 5); please report it. */
    class InternalException extends Exception
    {
    }

    /**
     * @strict-properties
     * @not-serializable
     */
    final class Engine
    {
        /**
         * @phpstan-param array{profile: string, default_region?: string, max_batch?: int, threads?: int, phone_util_per_thread?: bool, max_body_bytes?: int, plan_quota?: int, require_timezone?: bool, link_base?: string, limits?: array<string, int>} $config
         */
        public function __construct(array $config) {}

        /**
         * This worker's engine for $config, built on first use and reused by
         * later requests (a bounded cache, keyed by the normalized config).
         *
         * @phpstan-param array{profile: string, default_region?: string, max_batch?: int, threads?: int, phone_util_per_thread?: bool, max_body_bytes?: int, plan_quota?: int, require_timezone?: bool, link_base?: string, limits?: array<string, int>} $config
         */
        public static function shared(array $config): Engine {}

        /**
         * Counters of this worker's shared engines.
         *
         * @return array{builds: int, reuses: int, evictions: int, cached: int, capacity: int}
         */
        public static function sharedStats(): array {}

        /**
         * Compiles the phone patterns of these regions now.
         *
         * @phpstan-param list<string>|string $regions ["US", "GB"] or "US,GB"
         */
        public function warm(array|string $regions): void {}

        /** The libphonenumber metadata release this engine validates phones with, e.g. "9.0.43". */
        public function phoneMetadataVersion(): string {}

        /**
         * Both phases in one call.
         *
         * @phpstan-param string|array<string, mixed> $body the raw request body, or its decoded array
         * @phpstan-param array{phones?: array<string, string>, ids?: list<int|string>, external_refs?: list<array{0: string, 1: string}>, contact?: array<string, mixed>, contact_book?: array<string, mixed>, record_list_id?: string}|string|null $existing the store's keys, or their JSON text (the command line's --existing file)
         * @return array{status: int, body: array<string, mixed>}
         */
        public function respond(string|array $body, array|string|null $existing = null): array {}

        /**
         * As respond(), with the answer as JSON text: {"status": int, "body": {...}}.
         *
         * @phpstan-param string|array<string, mixed> $body
         * @phpstan-param array<string, mixed>|string|null $existingJson the store's keys as JSON text (or an array)
         */
        public function respondJson(string|array $body, array|string|null $existingJson = null): string {}

        /** @phpstan-param string|array<string, mixed> $body */
        public function prepare(string|array $body): Prepared {}

        /**
         * The normalized phone, or null when it is not a valid number.
         *
         * @return array{e164: string, country_code: int, region: ?string, number_type: string, extension: ?string}|null
         */
        public function normalizePhone(string $raw, ?string $region = null): ?array {}

        /**
         * @return array{valid: true, e164: string, country_code: int, region: ?string, number_type: string, extension: ?string}|array{valid: false, error: string, message: string}
         */
        public function normalizePhoneResult(string $raw, ?string $region = null): array {}

        /**
         * The normalized address, or null when it is not valid.
         *
         * @return array{normalized: string, key: string}|null
         */
        public function validateEmail(string $email): ?array {}

        /** @return array{valid: true, normalized: string, key: string}|array{valid: false, error: string, message: string} */
        public function validateEmailResult(string $email): array {}
    }

    /**
     * @strict-properties
     * @not-serializable
     */
    final class Prepared
    {
        private function __construct() {}

        /** @return array{phones: list<string>, ids: list<int|string>, external_refs: list<array{0: string, 1: string}>, rejected: bool} */
        public function keys(): array {}

        /**
         * @phpstan-param array<string, mixed>|string|null $existing the store's keys, or their JSON text
         * @return array{status: int, body: array<string, mixed>}
         */
        public function resolve(array|string|null $existing = null): array {}

        /**
         * @return array{status: int, body: array<string, mixed>, rejected: bool, summary: array{total: int, new: int, existing: int, duplicate: int, invalid: int}, rows: list<array{index: int, status: string, action: string, key: ?string, duplicate_of: ?int, existing_id: mixed, errors: list<array<string, mixed>>, contact: ?array<string, mixed>}>}
         */
        public function outcome(array|string|null $existing = null): array {}
    }

    /** @return array{e164: string, country_code: int, region: ?string, number_type: string, extension: ?string}|null */
    function normalize_phone(string $raw, ?string $region = null): ?array {}

    /**
     * @return array{valid: true, e164: string, country_code: int, region: ?string, number_type: string, extension: ?string}|array{valid: false, error: string, message: string}
     */
    function normalize_phone_result(string $raw, ?string $region = null): array {}

    /** @return array{normalized: string, key: string}|null */
    function validate_email(string $email): ?array {}

    /** @return array{valid: true, normalized: string, key: string}|array{valid: false, error: string, message: string} */
    function validate_email_result(string $email): array {}
}
