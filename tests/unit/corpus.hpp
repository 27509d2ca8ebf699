// Test helpers: the spec's sample record, field-by-field edits of it, and a
// generated corpus of varied records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace campaign::testing {

// The record fields of docs/api.md's example, in order, as (name, raw JSON value).
using Fields = std::vector<std::pair<std::string, std::string>>;
Fields sample_fields();
// Renders fields as a JSON object.
std::string render(const Fields& fields);
// The sample with one field's raw value replaced (or removed when value is empty).
std::string sample_with(const std::string& name, const std::string& raw_value);
std::string sample_json();

// A varied record: every status and an unknown one, nulls and absences,
// escapes and raw UTF-8, unknown nested fields, shuffled field order, offsets.
std::string generate_record(std::uint64_t index);

}  // namespace campaign::testing
