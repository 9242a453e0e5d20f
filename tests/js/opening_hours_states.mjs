// Reads {"values": [opening_hours texts], "instants": [ISO instants]} as JSON on stdin and prints,
// for each text, how opening_hours.js (the reference implementation OSM tools use) reads it: the
// error it throws, or its state ("open", "closed" or "unknown") and comment at every instant.
// Run with TZ=Europe/Helsinki: opening_hours.js reads wall-clock times in the process's zone.
import { readFileSync } from "node:fs";
import opening_hours from "opening_hours";

// A place in Helsinki, so that PH means Finland's public holidays.
const nominatim = { lat: 60.1699, lon: 24.9384, address: { country_code: "fi", state: "" } };
const { values, instants } = JSON.parse(readFileSync(0, "utf8"));
const dates = instants.map((instant) => new Date(instant));
const results = values.map((value) => {
  let hours;
  try {
    hours = new opening_hours(value, nominatim, { tag_key: "opening_hours", mode: 0 });
  } catch (error) {
    return { error: String(error).split("\n")[0], states: [] };
  }
  return {
    error: null,
    states: dates.map((when) => {
      const state = hours.getStateString(when, true);
      return [state === "close" ? "closed" : state, hours.getComment(when) ?? null];
    }),
  };
});
process.stdout.write(JSON.stringify(results));
