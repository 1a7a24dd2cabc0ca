import mqtt from 'mqtt';
import type { Logger } from '../log.ts';

/** Rooms the demo simulates, each with a Zigbee2MQTT temperature/humidity sensor. */
export const DEMO_ROOMS = ['living_room', 'bedroom', 'kitchen'] as const;

export interface DemoOptions {
  readonly brokerUrl: string;
  readonly logger: Logger;
  readonly intervalMs?: number;
  /** Print every publish (the first screen should show values moving). */
  readonly echo?: boolean;
}

/**
 * Simulated Zigbee2MQTT sensors: each room's temperature drifts across 25 °C so the example
 * rule switches fans on and off, and now and then a sensor sends what real ones do — a
 * -100 °C spike — so the plausible-range check is seen at work.
 */
export function startDemoSensors(options: DemoOptions): { stop(): Promise<void> } {
  const client = mqtt.connect(options.brokerUrl, { clientId: `topicflow-demo-${process.pid}`, reconnectPeriod: 2000 });
  const temps = new Map<string, number>(DEMO_ROOMS.map((room, i) => [room, 23 + i * 1.5]));
  const trend = new Map<string, number>(DEMO_ROOMS.map((room, i) => [room, i % 2 === 0 ? 0.4 : -0.4]));
  let tick = 0;
  const timer = setInterval(() => {
    if (!client.connected) return;
    tick++;
    for (const room of DEMO_ROOMS) {
      let t = temps.get(room)! + trend.get(room)! + (Math.random() - 0.5) * 0.3;
      if (t > 28 || t < 21) trend.set(room, -trend.get(room)!);
      t = Math.round(t * 100) / 100;
      temps.set(room, t);
      const spike = tick % 17 === 0 && room === 'bedroom';
      const payload = JSON.stringify({
        temperature: spike ? -100 : t,
        humidity: Math.round((45 + Math.random() * 10) * 100) / 100,
        battery: 97,
        linkquality: 100 + Math.floor(Math.random() * 40),
      });
      const topic = `zigbee2mqtt/${room}/th_sensor`;
      client.publish(topic, payload, { qos: 0 });
      if (options.echo) options.logger.info(`demo  → ${topic} ${payload}`);
    }
  }, options.intervalMs ?? 2000);
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        client.end(true, {}, () => resolve());
      }),
  };
}
