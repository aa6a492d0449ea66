<?php

declare(strict_types=1);

namespace ContactBatch\Ffi;

/** The existing-keys array is malformed (code 4). */
class ExistingException extends Exception
{
}
