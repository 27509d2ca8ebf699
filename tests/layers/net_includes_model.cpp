// A net source that reaches for the campaign model: the wrong way.
#include <campaign/model.hpp>
