// campaign/campaign.hpp: everything of the C++ API in one include.
#pragma once

#include <campaign/call_log.hpp>
#include <campaign/decode.hpp>
#include <campaign/encode.hpp>
#include <campaign/error.hpp>
#include <campaign/id.hpp>
#include <campaign/model.hpp>
#include <campaign/rate_limit.hpp>
#include <campaign/redact.hpp>
#include <campaign/timestamp.hpp>
#include <campaign/version.hpp>
