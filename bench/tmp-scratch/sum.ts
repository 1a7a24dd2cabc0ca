import { readdirSync } from 'node:fs';
import { formatSummary, readProfile, summarizeProfile } from '../lib/profile.ts';
const dir = process.argv[2]!;
const f = readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))[0]!;
console.log(formatSummary(summarizeProfile(readProfile(`${dir}/${f}`), process.cwd(), { limit: Number(process.argv[3] ?? 30), fromUs: Number(process.env.FROM ?? -Infinity), toUs: Number(process.env.TO ?? Infinity), inclusiveOf: (process.argv[4] ?? 'dispatch,toMessage,send,deliver,input,showState,label,touch,evaluate,emit,parsePayload,extractCaptures,renderTemplate,validateTopicName,statusOf').split(',') })));
