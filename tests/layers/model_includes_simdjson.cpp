// A model source that reaches for simdjson: the wrong way.
#include <simdjson.h>
