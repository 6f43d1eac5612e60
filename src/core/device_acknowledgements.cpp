// See device_acknowledgements.h.
#include "device_acknowledgements.h"

#include <nlohmann/json.hpp>

#include "device_store.h"

namespace handbook {

namespace {

using json = nlohmann::json;

std::string key_of(const std::string& person) { return "acknowledgements:" + person; }

bool read_acknowledgement(const json& j, Acknowledgement* out) {
    if (!j.is_object() || !j.contains("slug") || !j["slug"].is_string() || !j.contains("version") ||
        !j["version"].is_number_integer())
        return false;
    out->slug = j["slug"].get<std::string>();
    out->version = j["version"].get<int>();
    out->acknowledged_at = j.value("acknowledged_at", std::string{});
    return true;
}

}  // namespace

Result<std::vector<Acknowledgement>> acknowledgements_from_json(const std::string& json_text) {
    const json j = json::parse(json_text, nullptr, false);
    if (!j.is_array()) return Status::fail(StatusCode::corrupt, "the list of acknowledgements is not a JSON list");
    std::vector<Acknowledgement> out;
    for (const json& item : j) {
        Acknowledgement a;
        if (!read_acknowledgement(item, &a)) return Status::fail(StatusCode::corrupt, "an acknowledgement without its policy or version");
        out.push_back(std::move(a));
    }
    return out;
}

Status remember_acknowledgements(Database& device, const std::string& person, const std::vector<Acknowledgement>& from_server) {
    json list = json::array();
    for (const Acknowledgement& a : from_server)
        list.push_back({{"slug", a.slug}, {"version", a.version}, {"acknowledged_at", a.acknowledged_at}});
    return save_device_value(device, key_of(person), list.dump());
}

Result<std::vector<Acknowledgement>> known_acknowledgements(Database& device, const std::string& person) {
    std::vector<Acknowledgement> out;
    auto kept = device_value(device, key_of(person));
    if (!kept) return kept.status();
    if (!kept->empty()) {
        auto list = acknowledgements_from_json(*kept);
        if (!list) return list.status();
        out = std::move(*list);
    }
    auto waiting = outbox_entries(device, "pending", 1000, "acknowledgement");
    if (!waiting) return waiting.status();
    for (const OutboxEntry& e : *waiting) {
        if (e.kind != "acknowledgement" || e.person != person) continue;
        Acknowledgement a;
        if (read_acknowledgement(json::parse(e.payload, nullptr, false), &a)) out.push_back(std::move(a));
    }
    return out;
}

Status acknowledge_on_device(Database& device, const std::string& person, const Acknowledgement& ack, const std::string& outbox_id) {
    if (person.empty()) return Status::fail(StatusCode::invalid, "sign in to acknowledge: an acknowledgement is personal");
    OutboxEntry e;
    e.id = outbox_id;
    e.kind = "acknowledgement";
    e.person = person;
    e.payload = json{{"id", outbox_id}, {"slug", ack.slug}, {"version", ack.version}, {"acknowledged_at", ack.acknowledged_at}}.dump();
    e.created_at = ack.acknowledged_at;
    return add_to_outbox(device, e);
}

}  // namespace handbook
