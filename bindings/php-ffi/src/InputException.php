<?php

declare(strict_types=1);

namespace ContactBatch\Ffi;

/** An argument that cannot be used: not encodable as JSON, invalid UTF-8 in a config or existing keys, NULL or oversized (codes 1, 2, 7). */
class InputException extends Exception
{
}
