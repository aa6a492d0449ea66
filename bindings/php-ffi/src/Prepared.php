<?php

declare(strict_types=1);

namespace ContactBatch\Ffi;

use FFI;
use FFI\CData;

/**
 * A request after phase one. Look its keys() up in the store, then resolve()
 * (or outcome()) with the subset that exists; both may be called more than
 * once. Belongs to one thread at a time (PHP's usual case).
 */
final class Prepared
{
    private Engine $owner;
    private ?CData $handle;

    /** @internal use Engine::prepare() */
    public function __construct(Engine $owner, CData $handle)
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
     * The keys to look up; 'rejected' => true: the request itself was
     * refused (resolve() gives the 4xx).
     *
     * @return array{phones: list<string>, ids: list<int|string>, external_refs: list<array{0: string, 1: string}>, rejected: bool}
     */
    public function keys(): array
    {
        $out = $this->owner->ffi->new('cbatch_buf');
        $rc = $this->owner->ffi->cbatch_prepared_keys($this->handle, FFI::addr($out));
        $this->owner->check($rc, null);
        return Engine::decode($this->owner->take($out));
    }

    /**
     * Phase two: the API's response given the keys that exist.
     *
     * @param array<string, mixed>|string|null $existing as Engine::respond()'s: an array or JSON text
     * @return array{status: int, body: array<string, mixed>}
     */
    public function resolve(array|string|null $existing = null): array
    {
        return $this->call('cbatch_resolve', $existing);
    }

    /**
     * Like resolve(), plus 'rejected', 'summary' and per-row 'rows' (status,
     * action, key, normalized contact) for a host that writes the rows itself.
     *
     * @param array<string, mixed>|string|null $existing as Engine::respond()'s: an array or JSON text
     * @return array{status: int, body: array<string, mixed>, rejected: bool, summary: array<string, int>, rows: list<array<string, mixed>>}
     */
    public function outcome(array|string|null $existing = null): array
    {
        return $this->call('cbatch_resolve_outcome', $existing);
    }

    /**
     * @param array<string, mixed>|string|null $existing as Engine::respond()'s: an array or JSON text
     * @return array<string, mixed>
     */
    private function call(string $function, array|string|null $existing): array
    {
        $ex = Engine::encodeExisting($existing);
        $out = $this->owner->ffi->new('cbatch_buf');
        $rc = $this->owner->ffi->$function(
            $this->owner->engine, $this->handle, $ex, $ex === null ? 0 : strlen($ex), FFI::addr($out)
        );
        $this->owner->check($rc, $ex);
        return Engine::decode($this->owner->take($out));
    }
}
