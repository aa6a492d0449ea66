<?php

declare(strict_types=1);

namespace ContactBatch\Ffi;

/**
 * The base of every exception of this package; getCode() is the C API's
 * result code (cbatch_result, Engine::INVALID_CONFIG and so on). The same
 * hierarchy as the extension's ContactBatch\Exception: ConfigException,
 * ExistingException, InputException, InternalException.
 */
class Exception extends \RuntimeException
{
    /** The exception for a result code, of the class that code belongs to. */
    public static function forCode(int $code, string $message, ?\Throwable $previous = null): self
    {
        return match ($code) {
            Engine::INVALID_CONFIG => new ConfigException($message, $code, $previous),
            Engine::INVALID_EXISTING => new ExistingException($message, $code, $previous),
            Engine::NULL_ARGUMENT, Engine::INVALID_UTF8, Engine::INVALID_LENGTH => new InputException($message, $code, $previous),
            default => new InternalException($message, $code, $previous),
        };
    }
}
