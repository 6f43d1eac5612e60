// A person's acknowledgements as this device knows them, offline too: the server's list
// from the last time it was asked (kept in the device's store), and those made on this
// device since, which wait in the outbox until the server has them (device_store.h: sent
// with an id made here, so the server counts each once however often it is sent).
#pragma once
#include <string>
#include <vector>

#include "acknowledgements.h"
#include "database.h"

namespace handbook {

// The server's list and the ones still in the outbox (pending), for `person`.
Result<std::vector<Acknowledgement>> known_acknowledgements(Database& device, const std::string& person);
// Keeps the server's list for `person` (replacing the one kept before).
Status remember_acknowledgements(Database& device, const std::string& person, const std::vector<Acknowledgement>& from_server);
// `person` has read and understood `ack` on this device: into the outbox as `outbox_id`
// (POST api/acknowledgements takes its payload), known at once.
Status acknowledge_on_device(Database& device, const std::string& person, const Acknowledgement& ack, const std::string& outbox_id);

// The JSON list the server gives (GET api/acknowledgements: "acknowledgements") and keeps.
Result<std::vector<Acknowledgement>> acknowledgements_from_json(const std::string& json_text);

}  // namespace handbook
