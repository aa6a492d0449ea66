<?php

declare(strict_types=1);

namespace ContactBatch\Ffi;

/** A bug inside the library, caught at the boundary (code 5), or output PHP cannot decode; please report it. */
class InternalException extends Exception
{
}
