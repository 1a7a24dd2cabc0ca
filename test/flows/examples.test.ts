/**
 * The example flows in flows/, run the way a user runs them: `topicflow run flows/<file>`
 * as a child process against a Mosquitto started here, sensor messages sent with
 * `mosquitto_pub`, and the actuator messages each flow's description promises checked (topic,
 * payload, order) with an mqtt.js subscriber. Broken readings taken from
 * test/fixtures/device-payloads.json (a -100 spike, Tasmota's bare nan, "unavailable", null,
 * a battery sent as text) are sent where acting on them would flip the state, and must
 * produce no actuator message.
 *
 * Flows with a delay of minutes (`for: 300`, `forOff: 120`, `for: 900`) are tested twice: the
 * real file for everything that happens at once (including "an open window closed again within
 * the delay sends nothing"), and a copy written to a temp folder with the delay shortened to
 * 1 second for the delayed switch itself.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MqttClient } from 'mqtt';
import { collect, connectClient, startMosquitto, type TestBroker } from '../support/brokers.ts';
import { suiteNeeds } from '../support/requirements.ts';
import { FLOWS_DIR, ROOT, flowCopy, mosquittoPub, record, requireMosquittoPub, runCliFlow, waitFor, type Recorder } from './cli-flow.ts';

const SUITE = 'example flows run with topicflow run [mosquitto]';
/** Time allowed for anything still in flight, before asserting that nothing more came. */
const QUIET_MS = 500;
const TEST_TIMEOUT_MS = 30_000;

interface Fixtures {
  zigbee2mqtt: { topic: string; payload_text: string }[];
  tasmota: { topic: string; payload_text: string }[];
  shelly: { topic: string; payload_text: string }[];
}
const fixtures = JSON.parse(await readFile(join(ROOT, 'test/fixtures/device-payloads.json'), 'utf8')) as Fixtures;

function fixture(group: keyof Fixtures, topic: string): string {
  const found = fixtures[group].find((f) => f.topic === topic);
  if (!found) throw new Error(`no ${group} fixture for ${topic}`);
  return found.payload_text;
}

/** Every example flow must be listed here with at least one test below. */
const TESTED = new Set<string>();

describe(SUITE, { ...suiteNeeds('mosquitto', SUITE), timeout: 240_000 }, () => {
  let broker: TestBroker;
  let client: MqttClient;
  let tmp: string;

  before(async () => {
    requireMosquittoPub();
    tmp = await mkdtemp(join(tmpdir(), 'topicflow-example-flows-'));
    broker = await startMosquitto();
    client = await connectClient(broker.url);
    // Subscribed once, before any flow runs, so retained values of one test never show up in another.
    await client.subscribeAsync('#', { qos: 1 });
  });
  after(async () => {
    await client?.endAsync();
    await broker?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  interface Scene {
    /** mosquitto_pub one sensor message (QoS 1; resolves once the broker has it). */
    pub(topic: string, payload: string): Promise<void>;
    rec: Recorder;
    /** What the child wrote to stderr (node errors are logged there). */
    stderr(): string;
  }

  /** Runs `file` as a child, records `topics`, runs `body`, and always stops the child. */
  async function scenario(file: string, topics: string[], body: (scene: Scene) => Promise<void>): Promise<void> {
    const flow = await runCliFlow(file, broker.url);
    const rec = record(client, topics);
    try {
      await body({ pub: (topic, payload) => mosquittoPub(broker.port, topic, payload), rec, stderr: flow.stderr });
      assert.ok(flow.running(), `topicflow run exited early:\n${flow.stdout()}\n${flow.stderr()}`);
      assert.doesNotMatch(flow.stderr(), /unexpected error/, 'the runtime crashed');
    } finally {
      rec.stop();
      await flow.stop();
    }
  }

  const shown = (rec: Recorder): [string, string][] => rec.messages.map((m) => [m.topic, m.payload]);

  /**
   * Waits for `expected` messages, lets things settle, then asserts exactly these arrived so
   * far. Used as a checkpoint right after broken values too, so a broken value that flipped
   * the state shows up even when a later valid value would have produced the same list.
   */
  async function expectExactly(rec: Recorder, expected: [string, string][]): Promise<void> {
    await rec.until(expected.length);
    await sleep(QUIET_MS);
    assert.deepEqual(shown(rec), expected);
  }

  /**
   * Like expectExactly, for flows whose branches publish on several topics at once (a
   * notification and a siren): the order is checked within each topic only.
   */
  async function expectPerTopic(rec: Recorder, expected: Record<string, string[]>): Promise<void> {
    await rec.until(Object.values(expected).reduce((n, list) => n + list.length, 0));
    await sleep(QUIET_MS);
    const got: Record<string, string[]> = Object.fromEntries(Object.keys(expected).map((topic) => [topic, []]));
    for (const m of rec.messages) (got[m.topic] ??= []).push(m.payload);
    assert.deepEqual(got, expected);
  }

  const stderrMentions = (scene: Scene, pattern: RegExp) =>
    waitFor(() => pattern.test(scene.stderr()), () => `stderr to match ${pattern}; stderr:\n${scene.stderr()}`);

  it('has a test for every flow in flows/', async () => {
    const files = (await readdir(FLOWS_DIR)).filter((f) => f.endsWith('.json') && f !== 'topicflow.schema.json').sort();
    assert.deepEqual(files, [...TESTED].sort());
  });

  // ── zigbee-temperature-fan.json ──────────────────────────────────────────────────────────
  TESTED.add('zigbee-temperature-fan.json');
  it('zigbee-temperature-fan: each room switches its own fan; spikes and unavailable readings do nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const living = 'zigbee2mqtt/living_room_fan_plug/set';
    const bedroom = 'zigbee2mqtt/bedroom_fan_plug/set';
    await scenario(join(FLOWS_DIR, 'zigbee-temperature-fan.json'), [living, bedroom], async (s) => {
      await s.pub('zigbee2mqtt/living_room/th_sensor', fixture('zigbee2mqtt', 'zigbee2mqtt/living_room/th_sensor')); // 27.34 → ON
      await s.pub('zigbee2mqtt/bedroom/th_sensor', '{"temperature":22.1,"humidity":51}'); // first value, OFF
      // While ON, each of these would switch the living room fan OFF if it were taken as a number.
      await s.pub('zigbee2mqtt/living_room/th_sensor', fixture('zigbee2mqtt', 'zigbee2mqtt/0x00158d0001a2b3c4')); // -100
      await s.pub('zigbee2mqtt/living_room/th_sensor', '{"temperature":"unavailable"}');
      await s.pub('zigbee2mqtt/living_room/th_sensor', '{"temperature":null}');
      await s.pub('zigbee2mqtt/living_room/th_sensor', '{"temperature":24.8,"humidity":45}'); // within the hysteresis
      await expectExactly(s.rec, [
        [living, '{"state":"ON"}'],
        [bedroom, '{"state":"OFF"}'],
      ]);
      await s.pub('zigbee2mqtt/living_room/th_sensor', '{"temperature":24.3,"humidity":45}'); // → OFF
      await expectExactly(s.rec, [
        [living, '{"state":"ON"}'],
        [bedroom, '{"state":"OFF"}'],
        [living, '{"state":"OFF"}'],
      ]);
      await stderrMentions(s, /-100 is outside the plausible range -40…85/);
    });
  });

  // ── tasmota-humidity-dehumidifier.json ───────────────────────────────────────────────────
  TESTED.add('tasmota-humidity-dehumidifier.json');
  it('tasmota-humidity-dehumidifier: ON above 65 %, OFF below 60 %; nan and other devices do nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const power = 'cmnd/dehumidifier/POWER';
    const sensor = 'tele/sonoff_th/SENSOR';
    const reading = (humidity: string) =>
      `{"Time":"2019-01-01T00:00:00","AM2301":{"Temperature":24.6,"Humidity":${humidity}},"TempUnit":"C"}`;
    await scenario(join(FLOWS_DIR, 'tasmota-humidity-dehumidifier.json'), [power], async (s) => {
      await s.pub(sensor, fixture('tasmota', sensor)); // 58.2 → OFF (first value)
      await s.pub(sensor, reading('70.0')); // → ON
      // While ON: a failed sensor (bare nan, not valid JSON) would read as 0 and switch OFF.
      await s.pub(sensor, '{"Time":"2019-01-01T00:01:00","AM2301":{"Temperature":nan,"Humidity":nan},"TempUnit":"C"}');
      await s.pub(sensor, 'unavailable');
      // A Tasmota plug's telemetry matches tele/+device/SENSOR but has no AM2301: a node error.
      await s.pub('tele/plug001/SENSOR', fixture('tasmota', 'tele/plug001/SENSOR'));
      await s.pub(sensor, reading('62.0')); // within the hysteresis: stays ON
      await expectExactly(s.rec, [
        [power, 'OFF'],
        [power, 'ON'],
      ]);
      await s.pub(sensor, reading('59.4')); // → OFF
      await expectExactly(s.rec, [
        [power, 'OFF'],
        [power, 'ON'],
        [power, 'OFF'],
      ]);
      await stderrMentions(s, /field "AM2301" is missing/);
    });
  });

  // ── light-level-lamp.json ────────────────────────────────────────────────────────────────
  TESTED.add('light-level-lamp.json');
  it('light-level-lamp: lamp ON below 30 lx, OFF above 50 lx; null and negative lux do nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const lamp = 'zigbee2mqtt/hallway_lamp/set';
    const sensor = 'zigbee2mqtt/hallway_motion';
    const lux = (value: string) => `{"occupancy":false,"battery":100,"illuminance_lux":${value}}`;
    await scenario(join(FLOWS_DIR, 'light-level-lamp.json'), [lamp], async (s) => {
      await s.pub(sensor, fixture('zigbee2mqtt', sensor)); // 12 lx → ON
      await s.pub(sensor, lux('40')); // within the hysteresis: stays ON
      await s.pub(sensor, lux('null'));
      await expectExactly(s.rec, [[lamp, '{"state":"ON"}']]);
      await s.pub(sensor, lux('120')); // → OFF
      // While OFF, a glitch of -100 would switch the lamp ON if it were believed.
      await s.pub(sensor, lux('-100'));
      await expectExactly(s.rec, [
        [lamp, '{"state":"ON"}'],
        [lamp, '{"state":"OFF"}'],
      ]);
      await s.pub(sensor, lux('25')); // → ON
      await expectExactly(s.rec, [
        [lamp, '{"state":"ON"}'],
        [lamp, '{"state":"OFF"}'],
        [lamp, '{"state":"ON"}'],
      ]);
      await stderrMentions(s, /-100 is outside the plausible range 0…100000/);
    });
  });

  // ── window-open-heating-off.json ─────────────────────────────────────────────────────────
  TESTED.add('window-open-heating-off.json');
  const bedroomThermostat = 'zigbee2mqtt/bedroom_thermostat/set';
  const kitchenThermostat = 'zigbee2mqtt/kitchen_thermostat/set';
  const contact = (closed: string) => `{"battery":91,"contact":${closed},"linkquality":87,"voltage":3005}`;

  it('window-open-heating-off: a first report sends nothing; a window closed again within 5 minutes sends nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    await scenario(join(FLOWS_DIR, 'window-open-heating-off.json'), [bedroomThermostat, kitchenThermostat], async (s) => {
      await s.pub('zigbee2mqtt/bedroom/window', contact('true')); // first report: closed, state set quietly
      await s.pub('zigbee2mqtt/bedroom/window', contact('false')); // opened: starts the 5 minutes
      await s.pub('zigbee2mqtt/bedroom/window', contact('true')); // closed again in time: nothing
      await s.pub('zigbee2mqtt/kitchen/window', contact('true')); // another room, its own state
      await s.pub('zigbee2mqtt/kitchen/window', contact('null')); // ignored
      await s.pub('zigbee2mqtt/kitchen/window', contact('"open"')); // not true/false: a node error
      // The error for the last message shows every message was handled before nothing is asserted.
      await stderrMentions(s, /contact must be true or false, not open/);
      await expectExactly(s.rec, []);
    });
  });

  it('window-open-heating-off (for shortened to 1 s): open for the whole delay → off, closed → heat', { timeout: TEST_TIMEOUT_MS }, async () => {
    // A copy of the flow with `for: 1` instead of 300: the delayed switch cannot be waited for.
    const dir = await mkdtemp(join(tmp, 'window-'));
    const file = await flowCopy(join(FLOWS_DIR, 'window-open-heating-off.json'), dir, { open5min: { for: 1 } });
    await scenario(file, [bedroomThermostat, kitchenThermostat], async (s) => {
      await s.pub('zigbee2mqtt/bedroom/window', contact('true')); // first report: state set quietly
      const opened = Date.now();
      await s.pub('zigbee2mqtt/bedroom/window', contact('false'));
      await s.pub('zigbee2mqtt/bedroom/window', contact('false')); // a repeated report keeps the deadline
      await s.rec.until(1, 4000);
      const waited = Date.now() - opened;
      assert.ok(waited >= 900, `heating went off after ${waited} ms, before the 1 s delay`);
      await s.pub('zigbee2mqtt/bedroom/window', 'unavailable'); // ignored
      await expectExactly(s.rec, [[bedroomThermostat, '{"system_mode":"off"}']]);
      await s.pub('zigbee2mqtt/bedroom/window', contact('true')); // closed → heat at once
      await expectExactly(s.rec, [
        [bedroomThermostat, '{"system_mode":"off"}'],
        [bedroomThermostat, '{"system_mode":"heat"}'],
      ]);
    });
  });

  // ── power-draw-notify.json ───────────────────────────────────────────────────────────────
  TESTED.add('power-draw-notify.json');
  const notify = 'notify/washing_machine';
  const plug = 'shellyplugsg3-a1b2c3/status/switch:0';
  const watts = (apower: number) =>
    `{"id":0,"source":"timer","output":true,"apower":${apower},"voltage":231.2,"current":${(apower / 231.2).toFixed(3)},"aenergy":{"total":2574466.629},"temperature":{"tC":41.2,"tF":106.2}}`;

  it('power-draw-notify: "started" above 10 W at once; a short drop below 5 W does not finish', { timeout: TEST_TIMEOUT_MS }, async () => {
    await scenario(join(FLOWS_DIR, 'power-draw-notify.json'), [notify], async (s) => {
      await s.pub(plug, watts(0.4)); // first report of an idle machine: no "finished" at start
      await s.pub(plug, fixture('shelly', plug)); // 399.2 W → started
      await s.pub(plug, watts(2.1)); // below 5 W, but not yet for 2 minutes
      await s.pub(plug, 'unavailable');
      await s.pub(plug, watts(380));
      await expectExactly(s.rec, [[notify, 'Washing machine started']]);
    });
  });

  it('power-draw-notify (forOff shortened to 1 s): "finished" once the draw stayed below 5 W', { timeout: TEST_TIMEOUT_MS }, async () => {
    // A copy of the flow with `forOff: 1` instead of 120.
    const dir = await mkdtemp(join(tmp, 'washer-'));
    const file = await flowCopy(join(FLOWS_DIR, 'power-draw-notify.json'), dir, { running: { forOff: 1 } });
    await scenario(file, [notify], async (s) => {
      await s.pub(plug, watts(0.4)); // idle at start: state set quietly
      await s.pub(plug, fixture('shelly', plug)); // 399.2 W → started
      await s.rec.until(1);
      const dropped = Date.now();
      await s.pub(plug, watts(2.1));
      await s.rec.until(2, 4000);
      const waited = Date.now() - dropped;
      assert.ok(waited >= 900, `"finished" came after ${waited} ms, before the 1 s delay`);
      await s.pub(plug, watts(150)); // → started
      await s.rec.until(3);
      await s.pub(plug, watts(3)); // a pause in the programme…
      await s.pub(plug, watts(200)); // …that ends before the delay: no "finished"
      await sleep(1500);
      await expectExactly(s.rec, [
        [notify, 'Washing machine started'],
        [notify, 'Washing machine finished'],
        [notify, 'Washing machine started'],
      ]);
    });
  });

  // ── shelly-frost-heater.json ─────────────────────────────────────────────────────────────
  TESTED.add('shelly-frost-heater.json');
  it('shelly-frost-heater: heater on below 5 °C, off above 7 °C; nan and -100 do nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const heater = 'shellies/shellyplug-s-C8C9A3/relay/0/command';
    const sensor = 'shellies/shellyht-208500/sensor/temperature';
    await scenario(join(FLOWS_DIR, 'shelly-frost-heater.json'), [heater], async (s) => {
      await s.pub(sensor, fixture('shelly', 'shellies/shellyht-208500/sensor/temperature')); // "21.50" → off
      await s.pub(sensor, '3.80'); // → on
      await s.pub(sensor, 'nan'); // a failed reading: ignored
      await s.pub(sensor, '6.20'); // within the hysteresis: stays on
      await expectExactly(s.rec, [
        [heater, 'off'],
        [heater, 'on'],
      ]);
      await s.pub(sensor, '7.50'); // → off
      // While off, each of these would switch the heater on if it were taken as a number.
      await s.pub(sensor, '-100');
      await s.pub(sensor, 'unavailable');
      await s.pub(sensor, '');
      await expectExactly(s.rec, [
        [heater, 'off'],
        [heater, 'on'],
        [heater, 'off'],
      ]);
      await s.pub(sensor, '4.90'); // → on
      await expectExactly(s.rec, [
        [heater, 'off'],
        [heater, 'on'],
        [heater, 'off'],
        [heater, 'on'],
      ]);
      await stderrMentions(s, /-100 is outside the plausible range -40…60/);
    });
  });

  // ── fridge-temperature-alarm.json ────────────────────────────────────────────────────────
  TESTED.add('fridge-temperature-alarm.json');
  const alarm = 'home/fridge/temperature_alarm';
  const fridge = 'zigbee2mqtt/fridge_sensor';
  const fridgeReading = (t: number) => `{"temperature":${t},"humidity":61,"battery":90,"linkquality":72}`;

  it('fridge-temperature-alarm: OK retained at once; a short warm spell and spikes raise no alarm', { timeout: TEST_TIMEOUT_MS }, async () => {
    await scenario(join(FLOWS_DIR, 'fridge-temperature-alarm.json'), [alarm], async (s) => {
      await s.pub(fridge, fridgeReading(4.2)); // first value: OK
      await s.pub(fridge, fridgeReading(9.5)); // door open: not for 15 minutes
      await s.pub(fridge, fridgeReading(4)); // closed again
      await s.pub(fridge, fridgeReading(-100)); // spike
      await expectExactly(s.rec, [[alarm, 'OK']]);
      await stderrMentions(s, /-100 is outside the plausible range -30…50/);
    });
    // The state topic is retained: a subscriber arriving later (Home Assistant) gets it.
    const late = await connectClient(broker.url);
    try {
      const got = collect(late, alarm, 1, 3000);
      await late.subscribeAsync(alarm, { qos: 1 });
      assert.deepEqual((await got).map((m) => [m.payload, m.retain]), [['OK', true]]);
    } finally {
      await late.endAsync();
    }
  });

  it('fridge-temperature-alarm (for shortened to 1 s): ALARM after the delay, OK once back inside 1…7 °C', { timeout: TEST_TIMEOUT_MS }, async () => {
    // A copy of the flow with `for: 1` instead of 900.
    const dir = await mkdtemp(join(tmp, 'fridge-'));
    const file = await flowCopy(join(FLOWS_DIR, 'fridge-temperature-alarm.json'), dir, { range: { for: 1 } });
    await scenario(file, [alarm], async (s) => {
      await s.pub(fridge, fridgeReading(4.2)); // OK
      await s.rec.until(1);
      const warm = Date.now();
      await s.pub(fridge, fridgeReading(9.5));
      await s.rec.until(2, 4000); // ALARM
      const waited = Date.now() - warm;
      assert.ok(waited >= 900, `ALARM came after ${waited} ms, before the 1 s delay`);
      await s.pub(fridge, fridgeReading(7.5)); // inside 0…8 but not 1…7: still ALARM
      await s.pub(fridge, fridgeReading(5)); // → OK
      await expectExactly(s.rec, [
        [alarm, 'OK'],
        [alarm, 'ALARM'],
        [alarm, 'OK'],
      ]);
    });
  });

  // ── motion-light-auto-off.json ───────────────────────────────────────────────────────────
  TESTED.add('motion-light-auto-off.json');
  const kitchenMotion = 'zigbee2mqtt/kitchen/motion';
  const kitchenLight = 'zigbee2mqtt/kitchen_light/set';
  const hallwayLight = 'zigbee2mqtt/hallway_light/set';
  const occupancy = (value: string) => `{"battery":100,"illuminance_lux":12,"linkquality":90,"occupancy":${value}}`;

  it('motion-light-auto-off: motion → ON at once, a first "no motion" → OFF; no motion for less than 2 minutes, null and "yes" do nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    await scenario(join(FLOWS_DIR, 'motion-light-auto-off.json'), [kitchenLight, hallwayLight], async (s) => {
      await s.pub(kitchenMotion, fixture('zigbee2mqtt', 'zigbee2mqtt/hallway_motion')); // occupancy true → ON
      await s.pub('zigbee2mqtt/hallway/motion', occupancy('false')); // another room's first report: OFF at once
      await s.pub(kitchenMotion, occupancy('false')); // starts the 2 minutes
      await s.pub(kitchenMotion, occupancy('null')); // ignored
      await s.pub(kitchenMotion, 'unavailable');
      await s.pub(kitchenMotion, occupancy('"yes"')); // not true/false: a node error
      await stderrMentions(s, /occupancy must be true or false, not yes/);
      await expectExactly(s.rec, [
        [kitchenLight, '{"state":"ON"}'],
        [hallwayLight, '{"state":"OFF"}'],
      ]);
    });
  });

  it('motion-light-auto-off (forOff shortened to 1 s): OFF once no motion for the delay; motion within it starts the wait again', { timeout: TEST_TIMEOUT_MS }, async () => {
    // A copy of the flow with `forOff: 1` instead of 120.
    const dir = await mkdtemp(join(tmp, 'motion-'));
    const file = await flowCopy(join(FLOWS_DIR, 'motion-light-auto-off.json'), dir, { lit: { forOff: 1 } });
    await scenario(file, [kitchenLight], async (s) => {
      await s.pub(kitchenMotion, occupancy('true')); // → ON
      await s.rec.until(1);
      await s.pub(kitchenMotion, occupancy('false')); // the wait starts…
      await sleep(600);
      await s.pub(kitchenMotion, occupancy('true')); // …motion cancels it
      await s.pub(kitchenMotion, occupancy('false')); // and it starts again from here
      const still = Date.now();
      await s.rec.until(2, 4000);
      const waited = Date.now() - still;
      assert.ok(waited >= 900, `the light went off ${waited} ms after the last motion, before the 1 s delay`);
      await expectExactly(s.rec, [
        [kitchenLight, '{"state":"ON"}'],
        [kitchenLight, '{"state":"OFF"}'],
      ]);
    });
  });

  // ── water-leak-alarm.json ────────────────────────────────────────────────────────────────
  TESTED.add('water-leak-alarm.json');
  it('water-leak-alarm: a leak notifies and sounds the siren once per leak; dry, null and a dry first report send nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const notifyLeak = 'notify/water_leak';
    const siren = 'zigbee2mqtt/siren/set';
    const sirenOn = '{"warning":{"mode":"emergency","level":"very_high","strobe":true,"duration":600}}';
    const leak = (wet: string) => `{"battery":"100.00","voltage":3045,"linkquality":99,"water_leak":${wet}}`;
    await scenario(join(FLOWS_DIR, 'water-leak-alarm.json'), [notifyLeak, siren], async (s) => {
      // The fixture's sensor (battery as text, water_leak false) as the kitchen's first report: nothing.
      await s.pub('zigbee2mqtt/kitchen/water_leak', fixture('zigbee2mqtt', 'zigbee/water_leak_1'));
      await s.pub('zigbee2mqtt/bathroom/water_leak', leak('true')); // → alarm
      await s.pub('zigbee2mqtt/bathroom/water_leak', leak('true')); // still wet: nothing new
      await s.pub('zigbee2mqtt/kitchen/water_leak', leak('null')); // ignored
      await s.pub('zigbee2mqtt/kitchen/water_leak', leak('"unknown"')); // not true/false: a node error
      await stderrMentions(s, /water_leak must be true or false, not unknown/);
      await expectPerTopic(s.rec, { [notifyLeak]: ['Water leak in bathroom!'], [siren]: [sirenOn] });
      await s.pub('zigbee2mqtt/bathroom/water_leak', leak('false')); // dry again: nothing
      await s.pub('zigbee2mqtt/bathroom/water_leak', leak('true')); // a new leak alarms again
      await expectPerTopic(s.rec, {
        [notifyLeak]: ['Water leak in bathroom!', 'Water leak in bathroom!'],
        [siren]: [sirenOn, sirenOn],
      });
    });
  });

  // ── low-battery-warning.json ─────────────────────────────────────────────────────────────
  TESTED.add('low-battery-warning.json');
  it('low-battery-warning: one warning per device below 15 %, naming it; no battery, text batteries and glitches do nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const warnings = 'notify/low_battery';
    const warning = (device: string) => `Battery low: ${device} is below 15 %. Replace the battery soon.`;
    const contactSensor = 'zigbee2mqtt/kitchen/window';
    const battery = (value: string) => `{"battery":${value},"contact":true,"linkquality":87,"voltage":2900}`;
    await scenario(join(FLOWS_DIR, 'low-battery-warning.json'), [warnings], async (s) => {
      await s.pub(contactSensor, battery('91')); // fine: nothing
      await s.pub('zigbee2mqtt/Temperatur Balkon', fixture('zigbee2mqtt', 'zigbee2mqtt/Temperatur Balkon')); // 97
      await s.pub('zigbee2mqtt/water_leak_1', fixture('zigbee2mqtt', 'zigbee/water_leak_1')); // "100.00" as text
      // No battery field at all: ignored without a node error.
      await s.pub('zigbee2mqtt/0x00124b0006227235', fixture('zigbee2mqtt', 'zigbee2mqtt/0x00124b0006227235'));
      await s.pub('zigbee2mqtt/bridge/state', fixture('zigbee2mqtt', 'zigbee2mqtt/bridge/state'));
      await s.pub('zigbee2mqtt/living_room/th_sensor/availability', fixture('zigbee2mqtt', 'zigbee2mqtt/living_room/th_sensor/availability'));
      await s.pub('zigbee2mqtt/0x00158d0001a2b3c4', fixture('zigbee2mqtt', 'zigbee2mqtt/0x00158d0001a2b3c4')); // 13 → warning
      await s.pub(contactSensor, battery('12')); // → warning, a name with a slash
      await s.pub(contactSensor, battery('11')); // already warned: nothing
      await expectExactly(s.rec, [
        [warnings, warning('0x00158d0001a2b3c4')],
        [warnings, warning('kitchen/window')],
      ]);
      // While low, a reading of 200 would end the warning if believed, and the 12 after it would warn again.
      await s.pub(contactSensor, battery('200'));
      await s.pub(contactSensor, battery('null'));
      await s.pub(contactSensor, battery('"n/a"')); // not a number: a node error
      await s.pub(contactSensor, battery('12'));
      await stderrMentions(s, /"n\/a" is not a number/);
      await expectExactly(s.rec, [
        [warnings, warning('0x00158d0001a2b3c4')],
        [warnings, warning('kitchen/window')],
      ]);
      await s.pub(contactSensor, battery('100')); // a new battery: nothing is sent
      await s.pub(contactSensor, battery('9')); // low again → warned again
      await expectExactly(s.rec, [
        [warnings, warning('0x00158d0001a2b3c4')],
        [warnings, warning('kitchen/window')],
        [warnings, warning('kitchen/window')],
      ]);
      await stderrMentions(s, /200 is outside the plausible range 0…100/);
      assert.doesNotMatch(s.stderr(), /battery" is missing|0x00124b0006227235|bridge\/state|availability/, 'devices without a battery gave node errors');
    });
  });

  // ── esphome-co2-ventilation.json ─────────────────────────────────────────────────────────
  TESTED.add('esphome-co2-ventilation.json');
  it('esphome-co2-ventilation: fan on above 1000 ppm, off below 800 ppm; nan and a 0 ppm warm-up reading do nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const relay = 'shellies/shelly1-A1B2C3/relay/0/command';
    const co2 = 'living-room-air/sensor/co2/state';
    await scenario(join(FLOWS_DIR, 'esphome-co2-ventilation.json'), [relay], async (s) => {
      await s.pub(co2, '612'); // first value: off
      await s.pub(co2, '1184'); // → on
      await s.pub(co2, 'nan'); // a failed reading: ignored
      // While on, each of these would switch the fan off if it were taken as a number.
      await s.pub(co2, '0');
      await s.pub(co2, 'unavailable');
      await s.pub(co2, '950'); // within the hysteresis: stays on
      await expectExactly(s.rec, [
        [relay, 'off'],
        [relay, 'on'],
      ]);
      await s.pub(co2, '790'); // → off
      await expectExactly(s.rec, [
        [relay, 'off'],
        [relay, 'on'],
        [relay, 'off'],
      ]);
      await stderrMentions(s, /0 is outside the plausible range 300…10000/);
    });
  });

  // ── zigbee-device-offline-notify.json ────────────────────────────────────────────────────
  TESTED.add('zigbee-device-offline-notify.json');
  const availabilityNotify = 'notify/zigbee_availability';
  const plugAvailability = 'zigbee2mqtt/dryer_plug/availability';
  const sensorAvailability = 'zigbee2mqtt/living_room/th_sensor/availability';
  const online = '{"state":"online"}';
  const offline = fixture('zigbee2mqtt', sensorAvailability);

  it('zigbee-device-offline-notify: online devices send nothing; offline for less than 5 minutes sends nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    await scenario(join(FLOWS_DIR, 'zigbee-device-offline-notify.json'), [availabilityNotify], async (s) => {
      await s.pub(plugAvailability, online); // first report: online, set quietly
      await s.pub(plugAvailability, offline); // starts the 5 minutes
      await s.pub(plugAvailability, online); // back in time: nothing
      await s.pub(sensorAvailability, offline); // a room/device name; offline, but not for 5 minutes
      await s.pub(plugAvailability, ''); // a removed device's retained value cleared: ignored
      await s.pub(plugAvailability, '{"state":"rebooting"}'); // a node error
      await stderrMentions(s, /availability must be online or offline, not rebooting/);
      await expectExactly(s.rec, []);
    });
  });

  it('zigbee-device-offline-notify (for shortened to 1 s): a device offline at start (retained) and one going offline are reported; back online at once', { timeout: TEST_TIMEOUT_MS }, async () => {
    // Zigbee2MQTT retains availability: this one is on the broker before the flow starts.
    await mosquittoPub(broker.port, sensorAvailability, offline, { retain: true });
    try {
      const dir = await mkdtemp(join(tmp, 'availability-'));
      const file = await flowCopy(join(FLOWS_DIR, 'zigbee-device-offline-notify.json'), dir, { gone: { for: 1 } });
      await scenario(file, [availabilityNotify], async (s) => {
        await s.rec.until(1, 4000);
        assert.deepEqual(shown(s.rec), [[availabilityNotify, 'living_room/th_sensor is offline (no answer for 5 minutes)']]);
        await s.pub(plugAvailability, online); // first report: nothing
        const went = Date.now();
        await s.pub(plugAvailability, offline);
        await s.rec.until(2, 4000);
        const waited = Date.now() - went;
        assert.ok(waited >= 900, `"offline" came after ${waited} ms, before the 1 s delay`);
        await s.pub(sensorAvailability, online); // → back online at once
        await expectExactly(s.rec, [
          [availabilityNotify, 'living_room/th_sensor is offline (no answer for 5 minutes)'],
          [availabilityNotify, 'dryer_plug is offline (no answer for 5 minutes)'],
          [availabilityNotify, 'living_room/th_sensor is back online'],
        ]);
      });
    } finally {
      await mosquittoPub(broker.port, sensorAvailability, '', { retain: true }); // clears the retained value
    }
  });
});
