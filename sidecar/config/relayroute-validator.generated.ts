// @ts-nocheck
// GENERATED from crds/relayroute.yaml by sidecar/config/route-validator-codegen.ts: do not edit.
// After changing the CRD (or ajv): UPDATE_GOLDEN=1 npx vitest run sidecar/config/route-validator.test.ts

import { createRequire } from 'node:module';
import { FORMATS } from './route-formats.js';

const require = createRequire(import.meta.url);
export { schema11 as schema };
export const validate = validate10;
export default validate10;
const schema11 = {"type":"object","required":["apiVersion","kind","metadata","spec"],"properties":{"apiVersion":{"type":"string","const":"bellwether.dev/v1alpha1"},"kind":{"type":"string","const":"RelayRoute"},"metadata":{"type":"object","required":["name"],"properties":{"name":{"type":"string","maxLength":253,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"},"namespace":{"type":"string","maxLength":63,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},"generation":{"type":"integer","minimum":1},"annotations":{"type":"object","additionalProperties":{"type":"string"}},"labels":{"type":"object","additionalProperties":{"type":"string"}}}},"spec":{"type":"object","required":["official","relay","models"],"x-kubernetes-validations":[{"rule":"(self.official.baseURL.endsWith('/') ? self.official.baseURL : self.official.baseURL + '/') != (self.relay.baseURL.endsWith('/') ? self.relay.baseURL : self.relay.baseURL + '/')","message":"relay.baseURL must differ from official.baseURL"}],"properties":{"selector":{"type":"object","x-kubernetes-map-type":"atomic","properties":{"matchLabels":{"type":"object","maxProperties":64,"additionalProperties":{"type":"string","maxLength":63}},"matchExpressions":{"type":"array","maxItems":32,"items":{"type":"object","required":["key","operator"],"x-kubernetes-validations":[{"rule":"self.operator in ['In', 'NotIn'] ? has(self.values) && size(self.values) > 0 : !has(self.values) || size(self.values) == 0","message":"matchExpressions values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist"}],"properties":{"key":{"type":"string","minLength":1,"maxLength":317},"operator":{"type":"string","enum":["In","NotIn","Exists","DoesNotExist"]},"values":{"type":"array","maxItems":64,"items":{"type":"string","maxLength":63}}},"additionalProperties":false}}},"additionalProperties":false},"official":{"type":"object","required":["baseURL"],"properties":{"baseURL":{"type":"string","minLength":8,"maxLength":2048,"pattern":"^https?://[^\\s/?#@]+(/[^\\s?#]*)?$"},"apiKeySecretRef":{"type":"object","required":["name","key"],"properties":{"name":{"type":"string","minLength":1,"maxLength":253,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"},"key":{"type":"string","minLength":1,"maxLength":253,"pattern":"^[-._a-zA-Z0-9]+$"}},"additionalProperties":false}},"additionalProperties":false},"relay":{"type":"object","required":["baseURL","apiKeySecretRef"],"properties":{"baseURL":{"type":"string","minLength":8,"maxLength":2048,"pattern":"^https?://[^\\s/?#@]+(/[^\\s?#]*)?$"},"apiKeySecretRef":{"type":"object","required":["name","key"],"properties":{"name":{"type":"string","minLength":1,"maxLength":253,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"},"key":{"type":"string","minLength":1,"maxLength":253,"pattern":"^[-._a-zA-Z0-9]+$"}},"additionalProperties":false}},"additionalProperties":false},"models":{"type":"array","minItems":1,"maxItems":64,"items":{"type":"object","required":["match","chain"],"properties":{"match":{"type":"array","minItems":1,"maxItems":32,"items":{"type":"string","minLength":1,"maxLength":128,"pattern":"^\\S+$"}},"chain":{"type":"array","minItems":1,"maxItems":16,"items":{"type":"string","minLength":1,"maxLength":128,"pattern":"^[^\\s*]+$"}},"official":{"type":"string","minLength":1,"maxLength":128,"pattern":"^[^\\s*]+$"}},"additionalProperties":false}},"catalog":{"type":"array","maxItems":256,"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],"items":{"type":"object","required":["name"],"properties":{"name":{"type":"string","minLength":1,"maxLength":128,"pattern":"^[^\\s*]+$"},"contextWindow":{"type":"integer","minimum":1,"maximum":100000000},"price":{"type":"object","required":["input","output"],"properties":{"input":{"type":"number","minimum":0},"output":{"type":"number","minimum":0},"cachedInput":{"type":"number","minimum":0}},"additionalProperties":false}},"additionalProperties":false}},"canary":{"type":"object","default":{"weight":0,"fallbackToOfficial":true,"mode":"canary"},"x-kubernetes-validations":[{"rule":"!has(self.mode) || self.mode != 'fallbackOnly' || !has(self.fallbackToOfficial) || self.fallbackToOfficial","message":"canary.fallbackToOfficial cannot be false with canary.mode fallbackOnly (the official API is always tried first)"}],"properties":{"mode":{"type":"string","default":"canary","enum":["canary","fallbackOnly"]},"weight":{"type":"integer","default":0,"minimum":0,"maximum":100},"stickyBy":{"type":"string","maxLength":256,"pattern":"^(header:[A-Za-z0-9-]+|body:[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*)$"},"fallbackToOfficial":{"type":"boolean","default":true},"restartedAt":{"type":"string","format":"date-time","maxLength":64},"steps":{"type":"object","required":["weights","interval"],"properties":{"weights":{"type":"array","minItems":1,"maxItems":20,"items":{"type":"integer","minimum":1,"maximum":100}},"interval":{"type":"string","maxLength":32,"pattern":"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"}},"additionalProperties":false}},"additionalProperties":false},"rollback":{"type":"object","default":{"window":"15m","minRequests":100,"maxErrorRate":0.01,"maxP99Latency":"2s","action":"rollback"},"x-kubernetes-validations":[{"rule":"duration(self.window) > duration('0s')","message":"rollback.window must be longer than 0s"}],"properties":{"window":{"type":"string","default":"15m","maxLength":32,"pattern":"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},"minRequests":{"type":"integer","default":100,"minimum":1,"maximum":1000000000},"maxErrorRate":{"type":"number","default":0.01,"minimum":0,"maximum":1},"maxP99Latency":{"type":"string","default":"2s","maxLength":32,"pattern":"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},"action":{"type":"string","default":"rollback","enum":["rollback","alert"]}},"additionalProperties":false},"retry":{"type":"object","default":{"attempts":2,"backoff":{"base":"250ms","max":"10s"},"retryOn":[429,500,502,503,504,"connect-error","timeout"]},"properties":{"attempts":{"type":"integer","default":2,"minimum":0,"maximum":10},"backoff":{"type":"object","default":{"base":"250ms","max":"10s"},"x-kubernetes-validations":[{"rule":"duration(self.base) <= duration(self.max)","message":"retry.backoff.base must not be longer than retry.backoff.max"}],"properties":{"base":{"type":"string","default":"250ms","maxLength":32,"pattern":"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},"max":{"type":"string","default":"10s","maxLength":32,"pattern":"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"}},"additionalProperties":false},"retryOn":{"type":"array","default":[429,500,502,503,504,"connect-error","timeout"],"maxItems":32,"items":{"x-kubernetes-int-or-string":true,"minimum":400,"maximum":599,"maxLength":16,"pattern":"^[45][0-9][0-9]$|^connect-error$|^timeout$","type":["integer","string"]}}},"additionalProperties":false},"timeouts":{"type":"object","default":{"connect":"5s","firstByte":"60s","idle":"60s","total":"10m"},"x-kubernetes-validations":[{"rule":"[self.connect, self.firstByte, self.idle, self.total].all(d, duration(d) > duration('0s'))","message":"timeouts.connect, firstByte, idle and total must be longer than 0s"},{"rule":"duration(self.connect) <= duration(self.total)","message":"timeouts.connect must not be longer than timeouts.total"},{"rule":"duration(self.firstByte) <= duration(self.total)","message":"timeouts.firstByte must not be longer than timeouts.total"}],"properties":{"connect":{"type":"string","default":"5s","maxLength":32,"pattern":"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},"firstByte":{"type":"string","default":"60s","maxLength":32,"pattern":"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},"idle":{"type":"string","default":"60s","maxLength":32,"pattern":"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},"total":{"type":"string","default":"10m","maxLength":32,"pattern":"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"}},"additionalProperties":false},"circuitBreaker":{"type":"object","default":{"consecutiveFailures":3,"cooldown":"30s"},"properties":{"consecutiveFailures":{"type":"integer","default":3,"minimum":1,"maximum":1000},"cooldown":{"type":"string","default":"30s","maxLength":32,"pattern":"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"}},"additionalProperties":false},"limits":{"type":"object","default":{"maxRequestBytes":"10Mi","maxConcurrent":1024},"properties":{"maxRequestBytes":{"default":"10Mi","x-kubernetes-int-or-string":true,"minimum":1,"maxLength":32,"pattern":"^([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)([KMGTPE]i|[kMGTPE]|[eE][0-9]+)?$","type":["integer","string"]},"maxConcurrent":{"type":"integer","default":1024,"minimum":1,"maximum":100000}},"additionalProperties":false},"cache":{"type":"object","x-kubernetes-validations":[{"rule":"self.backend != 'redis' || has(self.redis)","message":"cache.redis (with its url) is required when cache.backend is redis"},{"rule":"!has(self.ttl) || duration(self.ttl) > duration('0s')","message":"cache.ttl must be longer than 0s"}],"properties":{"ttl":{"type":"string","default":"1h","maxLength":32,"pattern":"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},"maxEntries":{"type":"integer","default":10000,"minimum":1,"maximum":1000000},"maxBytes":{"default":"64Mi","x-kubernetes-int-or-string":true,"minimum":1,"maxLength":32,"pattern":"^([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)([KMGTPE]i|[kMGTPE]|[eE][0-9]+)?$","type":["integer","string"]},"maxEntryBytes":{"default":"1Mi","x-kubernetes-int-or-string":true,"minimum":1,"maxLength":32,"pattern":"^([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)([KMGTPE]i|[kMGTPE]|[eE][0-9]+)?$","type":["integer","string"]},"maxTemperature":{"type":"number","minimum":0,"maximum":2},"backend":{"type":"string","default":"memory","enum":["memory","redis"]},"redis":{"type":"object","required":["url"],"x-kubernetes-validations":[{"rule":"!has(self.timeout) || duration(self.timeout) > duration('0s')","message":"cache.redis.timeout must be longer than 0s"}],"properties":{"url":{"type":"string","maxLength":512,"pattern":"^rediss?://[^\\s/?#@]+(/[0-9]{1,2})?$"},"timeout":{"type":"string","default":"50ms","maxLength":32,"pattern":"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},"keyPrefix":{"type":"string","default":"bellwether:cache:","maxLength":128,"pattern":"^[-_.:/a-zA-Z0-9]*$"},"passwordSecretRef":{"type":"object","required":["name","key"],"properties":{"name":{"type":"string","maxLength":253,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"},"key":{"type":"string","maxLength":253,"pattern":"^[-._a-zA-Z0-9]+$"}},"additionalProperties":false},"maxInFlight":{"type":"integer","default":64,"minimum":1,"maximum":10000}},"additionalProperties":false}},"additionalProperties":false},"shadow":{"type":"object","properties":{"weight":{"type":"integer","default":10,"minimum":0,"maximum":100},"minSimilarity":{"type":"number","default":0.8,"minimum":0,"maximum":1},"maxConcurrent":{"type":"integer","default":8,"minimum":1,"maximum":64},"minPairs":{"type":"integer","default":100,"minimum":1,"maximum":1000000},"minEquivalence":{"type":"number","default":0.95,"minimum":0,"maximum":1}},"additionalProperties":false},"budget":{"type":"object","x-kubernetes-validations":[{"rule":"has(self.daily) || (has(self.models) && size(self.models) > 0)","message":"budget needs daily or at least one entry in budget.models"}],"properties":{"daily":{"type":"number","minimum":0.01,"maximum":1000000000},"models":{"type":"array","maxItems":64,"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],"items":{"type":"object","required":["name","daily"],"properties":{"name":{"type":"string","minLength":1,"maxLength":128,"pattern":"^[^\\s*]+$"},"daily":{"type":"number","minimum":0.01,"maximum":1000000000}},"additionalProperties":false}},"action":{"type":"string","default":"alert","enum":["alert","block"]}},"additionalProperties":false}},"additionalProperties":false},"status":{"type":"object","properties":{"observedGeneration":{"type":"integer","format":"int64","minimum":0},"phase":{"type":"string","enum":["Pending","Shadowing","Progressing","Promoted","RolledBack","Invalid"]},"desiredWeight":{"type":"integer","minimum":0,"maximum":100},"effectiveWeight":{"type":"integer","minimum":0,"maximum":100},"pods":{"type":"object","properties":{"selected":{"type":"integer","minimum":0},"injected":{"type":"integer","minimum":0},"reporting":{"type":"integer","minimum":0}},"additionalProperties":false},"sides":{"type":"object","properties":{"relay":{"type":"object","properties":{"requests":{"type":"integer","minimum":0},"errorRate":{"type":"number","minimum":0,"maximum":1},"p99LatencyMs":{"type":"number","minimum":0},"p99BeyondMs":{"type":"number","minimum":0}},"additionalProperties":false},"official":{"type":"object","properties":{"requests":{"type":"integer","minimum":0},"errorRate":{"type":"number","minimum":0,"maximum":1},"p99LatencyMs":{"type":"number","minimum":0},"p99BeyondMs":{"type":"number","minimum":0}},"additionalProperties":false}},"additionalProperties":false},"breakers":{"type":"array","maxItems":256,"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["model"],"items":{"type":"object","required":["model","openPods"],"properties":{"model":{"type":"string","maxLength":128},"openPods":{"type":"integer","minimum":0}},"additionalProperties":false}},"costUSD":{"type":"number","minimum":0},"savingsUSD":{"type":"number"},"cache":{"type":"object","properties":{"hits":{"type":"integer","minimum":0},"misses":{"type":"integer","minimum":0},"bypasses":{"type":"integer","minimum":0},"errors":{"type":"integer","minimum":0},"hitRate":{"type":"number","minimum":0,"maximum":1},"savingsUSD":{"type":"number"}},"additionalProperties":false},"shadow":{"type":"object","properties":{"pairs":{"type":"integer","minimum":0},"equivalence":{"type":"number","minimum":0,"maximum":1},"relayErrorRate":{"type":"number","minimum":0,"maximum":1},"relayP99LatencyMs":{"type":"number","minimum":0},"relayP99BeyondMs":{"type":"number","minimum":0},"costUSD":{"type":"number","minimum":0}},"additionalProperties":false},"budget":{"type":"object","properties":{"day":{"type":"string","maxLength":10},"spentTodayUSD":{"type":"number","minimum":0},"dailyUSD":{"type":"number","minimum":0},"exhausted":{"type":"boolean"},"models":{"type":"array","maxItems":64,"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],"items":{"type":"object","required":["name"],"properties":{"name":{"type":"string","maxLength":128},"spentTodayUSD":{"type":"number","minimum":0},"dailyUSD":{"type":"number","minimum":0},"exhausted":{"type":"boolean"}},"additionalProperties":false}}},"additionalProperties":false},"lastRollback":{"type":"object","properties":{"time":{"type":"string","format":"date-time","maxLength":64},"reason":{"type":"string","maxLength":64},"message":{"type":"string","maxLength":1024},"generation":{"type":"integer","format":"int64","minimum":0}},"additionalProperties":false},"canary":{"type":"object","properties":{"stepStartedAt":{"type":"string","format":"date-time","maxLength":64},"holdReason":{"type":"string","maxLength":1024}},"additionalProperties":false},"conditions":{"type":"array","maxItems":16,"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["type"],"items":{"type":"object","required":["type","status","lastTransitionTime","reason","message"],"properties":{"type":{"type":"string","maxLength":316,"pattern":"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"},"status":{"type":"string","enum":["True","False","Unknown"]},"observedGeneration":{"type":"integer","format":"int64","minimum":0},"lastTransitionTime":{"type":"string","format":"date-time","maxLength":64},"reason":{"type":"string","minLength":1,"maxLength":1024,"pattern":"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"},"message":{"type":"string","maxLength":32768}},"additionalProperties":false}}},"additionalProperties":false}},"additionalProperties":false};
const func2 = require("ajv/dist/runtime/ucs2length").default;
const func4 = Object.prototype.hasOwnProperty;
const pattern0 = new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", "u");
const pattern1 = new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "u");
const pattern2 = new RegExp("^https?://[^\\s/?#@]+(/[^\\s?#]*)?$", "u");
const pattern4 = new RegExp("^[-._a-zA-Z0-9]+$", "u");
const pattern8 = new RegExp("^\\S+$", "u");
const pattern9 = new RegExp("^[^\\s*]+$", "u");
const pattern12 = new RegExp("^(header:[A-Za-z0-9-]+|body:[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*)$", "u");
const pattern13 = new RegExp("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", "u");
const pattern18 = new RegExp("^[45][0-9][0-9]$|^connect-error$|^timeout$", "u");
const pattern24 = new RegExp("^([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)([KMGTPE]i|[kMGTPE]|[eE][0-9]+)?$", "u");
const pattern28 = new RegExp("^rediss?://[^\\s/?#@]+(/[0-9]{1,2})?$", "u");
const pattern30 = new RegExp("^[-_.:/a-zA-Z0-9]*$", "u");
const pattern34 = new RegExp("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$", "u");
const pattern35 = new RegExp("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$", "u");
const formats0 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;
const formats2 = FORMATS.int64;

function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.apiVersion === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "apiVersion"},message:"must have required property '"+"apiVersion"+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.kind === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.metadata === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "metadata"},message:"must have required property '"+"metadata"+"'"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.spec === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "spec"},message:"must have required property '"+"spec"+"'"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
for(const key0 in data){
if(!(((((key0 === "apiVersion") || (key0 === "kind")) || (key0 === "metadata")) || (key0 === "spec")) || (key0 === "status"))){
const err4 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.apiVersion !== undefined){
let data0 = data.apiVersion;
if(typeof data0 !== "string"){
const err5 = {instancePath:instancePath+"/apiVersion",schemaPath:"#/properties/apiVersion/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if("bellwether.dev/v1alpha1" !== data0){
const err6 = {instancePath:instancePath+"/apiVersion",schemaPath:"#/properties/apiVersion/const",keyword:"const",params:{allowedValue: "bellwether.dev/v1alpha1"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.kind !== undefined){
let data1 = data.kind;
if(typeof data1 !== "string"){
const err7 = {instancePath:instancePath+"/kind",schemaPath:"#/properties/kind/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if("RelayRoute" !== data1){
const err8 = {instancePath:instancePath+"/kind",schemaPath:"#/properties/kind/const",keyword:"const",params:{allowedValue: "RelayRoute"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.metadata !== undefined){
let data2 = data.metadata;
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
if(data2.name === undefined){
const err9 = {instancePath:instancePath+"/metadata",schemaPath:"#/properties/metadata/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(data2.name !== undefined){
let data3 = data2.name;
if(typeof data3 === "string"){
if(func2(data3) > 253){
const err10 = {instancePath:instancePath+"/metadata/name",schemaPath:"#/properties/metadata/properties/name/maxLength",keyword:"maxLength",params:{limit: 253},message:"must NOT have more than 253 characters"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(!pattern0.test(data3)){
const err11 = {instancePath:instancePath+"/metadata/name",schemaPath:"#/properties/metadata/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"},message:"must match pattern \""+"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"+"\""};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/metadata/name",schemaPath:"#/properties/metadata/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data2.namespace !== undefined){
let data4 = data2.namespace;
if(typeof data4 === "string"){
if(func2(data4) > 63){
const err13 = {instancePath:instancePath+"/metadata/namespace",schemaPath:"#/properties/metadata/properties/namespace/maxLength",keyword:"maxLength",params:{limit: 63},message:"must NOT have more than 63 characters"};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
if(!pattern1.test(data4)){
const err14 = {instancePath:instancePath+"/metadata/namespace",schemaPath:"#/properties/metadata/properties/namespace/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},message:"must match pattern \""+"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"+"\""};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
else {
const err15 = {instancePath:instancePath+"/metadata/namespace",schemaPath:"#/properties/metadata/properties/namespace/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data2.generation !== undefined){
let data5 = data2.generation;
if(!(((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5))) && (isFinite(data5)))){
const err16 = {instancePath:instancePath+"/metadata/generation",schemaPath:"#/properties/metadata/properties/generation/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
if((typeof data5 == "number") && (isFinite(data5))){
if(data5 < 1 || isNaN(data5)){
const err17 = {instancePath:instancePath+"/metadata/generation",schemaPath:"#/properties/metadata/properties/generation/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
}
if(data2.annotations !== undefined){
let data6 = data2.annotations;
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
for(const key1 in data6){
if(typeof data6[key1] !== "string"){
const err18 = {instancePath:instancePath+"/metadata/annotations/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/metadata/properties/annotations/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
else {
const err19 = {instancePath:instancePath+"/metadata/annotations",schemaPath:"#/properties/metadata/properties/annotations/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data2.labels !== undefined){
let data8 = data2.labels;
if(data8 && typeof data8 == "object" && !Array.isArray(data8)){
for(const key2 in data8){
if(typeof data8[key2] !== "string"){
const err20 = {instancePath:instancePath+"/metadata/labels/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/metadata/properties/labels/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
}
else {
const err21 = {instancePath:instancePath+"/metadata/labels",schemaPath:"#/properties/metadata/properties/labels/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
}
else {
const err22 = {instancePath:instancePath+"/metadata",schemaPath:"#/properties/metadata/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data.spec !== undefined){
let data10 = data.spec;
if(data10 && typeof data10 == "object" && !Array.isArray(data10)){
if(data10.canary === undefined){
data10.canary = {"weight":0,"fallbackToOfficial":true,"mode":"canary"};
}
if(data10.rollback === undefined){
data10.rollback = {"window":"15m","minRequests":100,"maxErrorRate":0.01,"maxP99Latency":"2s","action":"rollback"};
}
if(data10.retry === undefined){
data10.retry = {"attempts":2,"backoff":{"base":"250ms","max":"10s"},"retryOn":[429,500,502,503,504,"connect-error","timeout"]};
}
if(data10.timeouts === undefined){
data10.timeouts = {"connect":"5s","firstByte":"60s","idle":"60s","total":"10m"};
}
if(data10.circuitBreaker === undefined){
data10.circuitBreaker = {"consecutiveFailures":3,"cooldown":"30s"};
}
if(data10.limits === undefined){
data10.limits = {"maxRequestBytes":"10Mi","maxConcurrent":1024};
}
if(data10.official === undefined){
const err23 = {instancePath:instancePath+"/spec",schemaPath:"#/properties/spec/required",keyword:"required",params:{missingProperty: "official"},message:"must have required property '"+"official"+"'"};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
if(data10.relay === undefined){
const err24 = {instancePath:instancePath+"/spec",schemaPath:"#/properties/spec/required",keyword:"required",params:{missingProperty: "relay"},message:"must have required property '"+"relay"+"'"};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
if(data10.models === undefined){
const err25 = {instancePath:instancePath+"/spec",schemaPath:"#/properties/spec/required",keyword:"required",params:{missingProperty: "models"},message:"must have required property '"+"models"+"'"};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
for(const key3 in data10){
if(!(func4.call(schema11.properties.spec.properties, key3))){
const err26 = {instancePath:instancePath+"/spec",schemaPath:"#/properties/spec/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data10.selector !== undefined){
let data11 = data10.selector;
if(data11 && typeof data11 == "object" && !Array.isArray(data11)){
for(const key4 in data11){
if(!((key4 === "matchLabels") || (key4 === "matchExpressions"))){
const err27 = {instancePath:instancePath+"/spec/selector",schemaPath:"#/properties/spec/properties/selector/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
if(data11.matchLabels !== undefined){
let data12 = data11.matchLabels;
if(data12 && typeof data12 == "object" && !Array.isArray(data12)){
if(Object.keys(data12).length > 64){
const err28 = {instancePath:instancePath+"/spec/selector/matchLabels",schemaPath:"#/properties/spec/properties/selector/properties/matchLabels/maxProperties",keyword:"maxProperties",params:{limit: 64},message:"must NOT have more than 64 properties"};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
for(const key5 in data12){
let data13 = data12[key5];
if(typeof data13 === "string"){
if(func2(data13) > 63){
const err29 = {instancePath:instancePath+"/spec/selector/matchLabels/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/spec/properties/selector/properties/matchLabels/additionalProperties/maxLength",keyword:"maxLength",params:{limit: 63},message:"must NOT have more than 63 characters"};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
else {
const err30 = {instancePath:instancePath+"/spec/selector/matchLabels/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/spec/properties/selector/properties/matchLabels/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
}
else {
const err31 = {instancePath:instancePath+"/spec/selector/matchLabels",schemaPath:"#/properties/spec/properties/selector/properties/matchLabels/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data11.matchExpressions !== undefined){
let data14 = data11.matchExpressions;
if(Array.isArray(data14)){
if(data14.length > 32){
const err32 = {instancePath:instancePath+"/spec/selector/matchExpressions",schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/maxItems",keyword:"maxItems",params:{limit: 32},message:"must NOT have more than 32 items"};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
const len0 = data14.length;
for(let i0=0; i0<len0; i0++){
let data15 = data14[i0];
if(data15 && typeof data15 == "object" && !Array.isArray(data15)){
if(data15.key === undefined){
const err33 = {instancePath:instancePath+"/spec/selector/matchExpressions/" + i0,schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/items/required",keyword:"required",params:{missingProperty: "key"},message:"must have required property '"+"key"+"'"};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
if(data15.operator === undefined){
const err34 = {instancePath:instancePath+"/spec/selector/matchExpressions/" + i0,schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/items/required",keyword:"required",params:{missingProperty: "operator"},message:"must have required property '"+"operator"+"'"};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
for(const key6 in data15){
if(!(((key6 === "key") || (key6 === "operator")) || (key6 === "values"))){
const err35 = {instancePath:instancePath+"/spec/selector/matchExpressions/" + i0,schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data15.key !== undefined){
let data16 = data15.key;
if(typeof data16 === "string"){
if(func2(data16) > 317){
const err36 = {instancePath:instancePath+"/spec/selector/matchExpressions/" + i0+"/key",schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/items/properties/key/maxLength",keyword:"maxLength",params:{limit: 317},message:"must NOT have more than 317 characters"};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
if(func2(data16) < 1){
const err37 = {instancePath:instancePath+"/spec/selector/matchExpressions/" + i0+"/key",schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/items/properties/key/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
else {
const err38 = {instancePath:instancePath+"/spec/selector/matchExpressions/" + i0+"/key",schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/items/properties/key/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
if(data15.operator !== undefined){
let data17 = data15.operator;
if(typeof data17 !== "string"){
const err39 = {instancePath:instancePath+"/spec/selector/matchExpressions/" + i0+"/operator",schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/items/properties/operator/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
if(!((((data17 === "In") || (data17 === "NotIn")) || (data17 === "Exists")) || (data17 === "DoesNotExist"))){
const err40 = {instancePath:instancePath+"/spec/selector/matchExpressions/" + i0+"/operator",schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/items/properties/operator/enum",keyword:"enum",params:{allowedValues: schema11.properties.spec.properties.selector.properties.matchExpressions.items.properties.operator.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
if(data15.values !== undefined){
let data18 = data15.values;
if(Array.isArray(data18)){
if(data18.length > 64){
const err41 = {instancePath:instancePath+"/spec/selector/matchExpressions/" + i0+"/values",schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/items/properties/values/maxItems",keyword:"maxItems",params:{limit: 64},message:"must NOT have more than 64 items"};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
const len1 = data18.length;
for(let i1=0; i1<len1; i1++){
let data19 = data18[i1];
if(typeof data19 === "string"){
if(func2(data19) > 63){
const err42 = {instancePath:instancePath+"/spec/selector/matchExpressions/" + i0+"/values/" + i1,schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/items/properties/values/items/maxLength",keyword:"maxLength",params:{limit: 63},message:"must NOT have more than 63 characters"};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
else {
const err43 = {instancePath:instancePath+"/spec/selector/matchExpressions/" + i0+"/values/" + i1,schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/items/properties/values/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
}
else {
const err44 = {instancePath:instancePath+"/spec/selector/matchExpressions/" + i0+"/values",schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/items/properties/values/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
}
else {
const err45 = {instancePath:instancePath+"/spec/selector/matchExpressions/" + i0,schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/items/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
}
else {
const err46 = {instancePath:instancePath+"/spec/selector/matchExpressions",schemaPath:"#/properties/spec/properties/selector/properties/matchExpressions/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
}
else {
const err47 = {instancePath:instancePath+"/spec/selector",schemaPath:"#/properties/spec/properties/selector/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
if(data10.official !== undefined){
let data20 = data10.official;
if(data20 && typeof data20 == "object" && !Array.isArray(data20)){
if(data20.baseURL === undefined){
const err48 = {instancePath:instancePath+"/spec/official",schemaPath:"#/properties/spec/properties/official/required",keyword:"required",params:{missingProperty: "baseURL"},message:"must have required property '"+"baseURL"+"'"};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
for(const key7 in data20){
if(!((key7 === "baseURL") || (key7 === "apiKeySecretRef"))){
const err49 = {instancePath:instancePath+"/spec/official",schemaPath:"#/properties/spec/properties/official/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key7},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
if(data20.baseURL !== undefined){
let data21 = data20.baseURL;
if(typeof data21 === "string"){
if(func2(data21) > 2048){
const err50 = {instancePath:instancePath+"/spec/official/baseURL",schemaPath:"#/properties/spec/properties/official/properties/baseURL/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters"};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
if(func2(data21) < 8){
const err51 = {instancePath:instancePath+"/spec/official/baseURL",schemaPath:"#/properties/spec/properties/official/properties/baseURL/minLength",keyword:"minLength",params:{limit: 8},message:"must NOT have fewer than 8 characters"};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
if(!pattern2.test(data21)){
const err52 = {instancePath:instancePath+"/spec/official/baseURL",schemaPath:"#/properties/spec/properties/official/properties/baseURL/pattern",keyword:"pattern",params:{pattern: "^https?://[^\\s/?#@]+(/[^\\s?#]*)?$"},message:"must match pattern \""+"^https?://[^\\s/?#@]+(/[^\\s?#]*)?$"+"\""};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
else {
const err53 = {instancePath:instancePath+"/spec/official/baseURL",schemaPath:"#/properties/spec/properties/official/properties/baseURL/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
if(data20.apiKeySecretRef !== undefined){
let data22 = data20.apiKeySecretRef;
if(data22 && typeof data22 == "object" && !Array.isArray(data22)){
if(data22.name === undefined){
const err54 = {instancePath:instancePath+"/spec/official/apiKeySecretRef",schemaPath:"#/properties/spec/properties/official/properties/apiKeySecretRef/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'"};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
if(data22.key === undefined){
const err55 = {instancePath:instancePath+"/spec/official/apiKeySecretRef",schemaPath:"#/properties/spec/properties/official/properties/apiKeySecretRef/required",keyword:"required",params:{missingProperty: "key"},message:"must have required property '"+"key"+"'"};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
for(const key8 in data22){
if(!((key8 === "name") || (key8 === "key"))){
const err56 = {instancePath:instancePath+"/spec/official/apiKeySecretRef",schemaPath:"#/properties/spec/properties/official/properties/apiKeySecretRef/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
}
if(data22.name !== undefined){
let data23 = data22.name;
if(typeof data23 === "string"){
if(func2(data23) > 253){
const err57 = {instancePath:instancePath+"/spec/official/apiKeySecretRef/name",schemaPath:"#/properties/spec/properties/official/properties/apiKeySecretRef/properties/name/maxLength",keyword:"maxLength",params:{limit: 253},message:"must NOT have more than 253 characters"};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
if(func2(data23) < 1){
const err58 = {instancePath:instancePath+"/spec/official/apiKeySecretRef/name",schemaPath:"#/properties/spec/properties/official/properties/apiKeySecretRef/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
if(!pattern0.test(data23)){
const err59 = {instancePath:instancePath+"/spec/official/apiKeySecretRef/name",schemaPath:"#/properties/spec/properties/official/properties/apiKeySecretRef/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"},message:"must match pattern \""+"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"+"\""};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
}
else {
const err60 = {instancePath:instancePath+"/spec/official/apiKeySecretRef/name",schemaPath:"#/properties/spec/properties/official/properties/apiKeySecretRef/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
if(data22.key !== undefined){
let data24 = data22.key;
if(typeof data24 === "string"){
if(func2(data24) > 253){
const err61 = {instancePath:instancePath+"/spec/official/apiKeySecretRef/key",schemaPath:"#/properties/spec/properties/official/properties/apiKeySecretRef/properties/key/maxLength",keyword:"maxLength",params:{limit: 253},message:"must NOT have more than 253 characters"};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
if(func2(data24) < 1){
const err62 = {instancePath:instancePath+"/spec/official/apiKeySecretRef/key",schemaPath:"#/properties/spec/properties/official/properties/apiKeySecretRef/properties/key/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
if(!pattern4.test(data24)){
const err63 = {instancePath:instancePath+"/spec/official/apiKeySecretRef/key",schemaPath:"#/properties/spec/properties/official/properties/apiKeySecretRef/properties/key/pattern",keyword:"pattern",params:{pattern: "^[-._a-zA-Z0-9]+$"},message:"must match pattern \""+"^[-._a-zA-Z0-9]+$"+"\""};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
else {
const err64 = {instancePath:instancePath+"/spec/official/apiKeySecretRef/key",schemaPath:"#/properties/spec/properties/official/properties/apiKeySecretRef/properties/key/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
}
else {
const err65 = {instancePath:instancePath+"/spec/official/apiKeySecretRef",schemaPath:"#/properties/spec/properties/official/properties/apiKeySecretRef/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
}
else {
const err66 = {instancePath:instancePath+"/spec/official",schemaPath:"#/properties/spec/properties/official/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
}
if(data10.relay !== undefined){
let data25 = data10.relay;
if(data25 && typeof data25 == "object" && !Array.isArray(data25)){
if(data25.baseURL === undefined){
const err67 = {instancePath:instancePath+"/spec/relay",schemaPath:"#/properties/spec/properties/relay/required",keyword:"required",params:{missingProperty: "baseURL"},message:"must have required property '"+"baseURL"+"'"};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
if(data25.apiKeySecretRef === undefined){
const err68 = {instancePath:instancePath+"/spec/relay",schemaPath:"#/properties/spec/properties/relay/required",keyword:"required",params:{missingProperty: "apiKeySecretRef"},message:"must have required property '"+"apiKeySecretRef"+"'"};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
for(const key9 in data25){
if(!((key9 === "baseURL") || (key9 === "apiKeySecretRef"))){
const err69 = {instancePath:instancePath+"/spec/relay",schemaPath:"#/properties/spec/properties/relay/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key9},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
if(data25.baseURL !== undefined){
let data26 = data25.baseURL;
if(typeof data26 === "string"){
if(func2(data26) > 2048){
const err70 = {instancePath:instancePath+"/spec/relay/baseURL",schemaPath:"#/properties/spec/properties/relay/properties/baseURL/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters"};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
if(func2(data26) < 8){
const err71 = {instancePath:instancePath+"/spec/relay/baseURL",schemaPath:"#/properties/spec/properties/relay/properties/baseURL/minLength",keyword:"minLength",params:{limit: 8},message:"must NOT have fewer than 8 characters"};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
if(!pattern2.test(data26)){
const err72 = {instancePath:instancePath+"/spec/relay/baseURL",schemaPath:"#/properties/spec/properties/relay/properties/baseURL/pattern",keyword:"pattern",params:{pattern: "^https?://[^\\s/?#@]+(/[^\\s?#]*)?$"},message:"must match pattern \""+"^https?://[^\\s/?#@]+(/[^\\s?#]*)?$"+"\""};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
else {
const err73 = {instancePath:instancePath+"/spec/relay/baseURL",schemaPath:"#/properties/spec/properties/relay/properties/baseURL/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
}
if(data25.apiKeySecretRef !== undefined){
let data27 = data25.apiKeySecretRef;
if(data27 && typeof data27 == "object" && !Array.isArray(data27)){
if(data27.name === undefined){
const err74 = {instancePath:instancePath+"/spec/relay/apiKeySecretRef",schemaPath:"#/properties/spec/properties/relay/properties/apiKeySecretRef/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'"};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
if(data27.key === undefined){
const err75 = {instancePath:instancePath+"/spec/relay/apiKeySecretRef",schemaPath:"#/properties/spec/properties/relay/properties/apiKeySecretRef/required",keyword:"required",params:{missingProperty: "key"},message:"must have required property '"+"key"+"'"};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
for(const key10 in data27){
if(!((key10 === "name") || (key10 === "key"))){
const err76 = {instancePath:instancePath+"/spec/relay/apiKeySecretRef",schemaPath:"#/properties/spec/properties/relay/properties/apiKeySecretRef/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
if(data27.name !== undefined){
let data28 = data27.name;
if(typeof data28 === "string"){
if(func2(data28) > 253){
const err77 = {instancePath:instancePath+"/spec/relay/apiKeySecretRef/name",schemaPath:"#/properties/spec/properties/relay/properties/apiKeySecretRef/properties/name/maxLength",keyword:"maxLength",params:{limit: 253},message:"must NOT have more than 253 characters"};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
if(func2(data28) < 1){
const err78 = {instancePath:instancePath+"/spec/relay/apiKeySecretRef/name",schemaPath:"#/properties/spec/properties/relay/properties/apiKeySecretRef/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
if(!pattern0.test(data28)){
const err79 = {instancePath:instancePath+"/spec/relay/apiKeySecretRef/name",schemaPath:"#/properties/spec/properties/relay/properties/apiKeySecretRef/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"},message:"must match pattern \""+"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"+"\""};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
else {
const err80 = {instancePath:instancePath+"/spec/relay/apiKeySecretRef/name",schemaPath:"#/properties/spec/properties/relay/properties/apiKeySecretRef/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
}
if(data27.key !== undefined){
let data29 = data27.key;
if(typeof data29 === "string"){
if(func2(data29) > 253){
const err81 = {instancePath:instancePath+"/spec/relay/apiKeySecretRef/key",schemaPath:"#/properties/spec/properties/relay/properties/apiKeySecretRef/properties/key/maxLength",keyword:"maxLength",params:{limit: 253},message:"must NOT have more than 253 characters"};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
if(func2(data29) < 1){
const err82 = {instancePath:instancePath+"/spec/relay/apiKeySecretRef/key",schemaPath:"#/properties/spec/properties/relay/properties/apiKeySecretRef/properties/key/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
if(!pattern4.test(data29)){
const err83 = {instancePath:instancePath+"/spec/relay/apiKeySecretRef/key",schemaPath:"#/properties/spec/properties/relay/properties/apiKeySecretRef/properties/key/pattern",keyword:"pattern",params:{pattern: "^[-._a-zA-Z0-9]+$"},message:"must match pattern \""+"^[-._a-zA-Z0-9]+$"+"\""};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
}
else {
const err84 = {instancePath:instancePath+"/spec/relay/apiKeySecretRef/key",schemaPath:"#/properties/spec/properties/relay/properties/apiKeySecretRef/properties/key/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
}
}
else {
const err85 = {instancePath:instancePath+"/spec/relay/apiKeySecretRef",schemaPath:"#/properties/spec/properties/relay/properties/apiKeySecretRef/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
}
}
else {
const err86 = {instancePath:instancePath+"/spec/relay",schemaPath:"#/properties/spec/properties/relay/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
if(data10.models !== undefined){
let data30 = data10.models;
if(Array.isArray(data30)){
if(data30.length > 64){
const err87 = {instancePath:instancePath+"/spec/models",schemaPath:"#/properties/spec/properties/models/maxItems",keyword:"maxItems",params:{limit: 64},message:"must NOT have more than 64 items"};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
if(data30.length < 1){
const err88 = {instancePath:instancePath+"/spec/models",schemaPath:"#/properties/spec/properties/models/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
const len2 = data30.length;
for(let i2=0; i2<len2; i2++){
let data31 = data30[i2];
if(data31 && typeof data31 == "object" && !Array.isArray(data31)){
if(data31.match === undefined){
const err89 = {instancePath:instancePath+"/spec/models/" + i2,schemaPath:"#/properties/spec/properties/models/items/required",keyword:"required",params:{missingProperty: "match"},message:"must have required property '"+"match"+"'"};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
if(data31.chain === undefined){
const err90 = {instancePath:instancePath+"/spec/models/" + i2,schemaPath:"#/properties/spec/properties/models/items/required",keyword:"required",params:{missingProperty: "chain"},message:"must have required property '"+"chain"+"'"};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
for(const key11 in data31){
if(!(((key11 === "match") || (key11 === "chain")) || (key11 === "official"))){
const err91 = {instancePath:instancePath+"/spec/models/" + i2,schemaPath:"#/properties/spec/properties/models/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key11},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
}
if(data31.match !== undefined){
let data32 = data31.match;
if(Array.isArray(data32)){
if(data32.length > 32){
const err92 = {instancePath:instancePath+"/spec/models/" + i2+"/match",schemaPath:"#/properties/spec/properties/models/items/properties/match/maxItems",keyword:"maxItems",params:{limit: 32},message:"must NOT have more than 32 items"};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
if(data32.length < 1){
const err93 = {instancePath:instancePath+"/spec/models/" + i2+"/match",schemaPath:"#/properties/spec/properties/models/items/properties/match/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
const len3 = data32.length;
for(let i3=0; i3<len3; i3++){
let data33 = data32[i3];
if(typeof data33 === "string"){
if(func2(data33) > 128){
const err94 = {instancePath:instancePath+"/spec/models/" + i2+"/match/" + i3,schemaPath:"#/properties/spec/properties/models/items/properties/match/items/maxLength",keyword:"maxLength",params:{limit: 128},message:"must NOT have more than 128 characters"};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
if(func2(data33) < 1){
const err95 = {instancePath:instancePath+"/spec/models/" + i2+"/match/" + i3,schemaPath:"#/properties/spec/properties/models/items/properties/match/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
if(!pattern8.test(data33)){
const err96 = {instancePath:instancePath+"/spec/models/" + i2+"/match/" + i3,schemaPath:"#/properties/spec/properties/models/items/properties/match/items/pattern",keyword:"pattern",params:{pattern: "^\\S+$"},message:"must match pattern \""+"^\\S+$"+"\""};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
}
else {
const err97 = {instancePath:instancePath+"/spec/models/" + i2+"/match/" + i3,schemaPath:"#/properties/spec/properties/models/items/properties/match/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
}
}
else {
const err98 = {instancePath:instancePath+"/spec/models/" + i2+"/match",schemaPath:"#/properties/spec/properties/models/items/properties/match/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
}
if(data31.chain !== undefined){
let data34 = data31.chain;
if(Array.isArray(data34)){
if(data34.length > 16){
const err99 = {instancePath:instancePath+"/spec/models/" + i2+"/chain",schemaPath:"#/properties/spec/properties/models/items/properties/chain/maxItems",keyword:"maxItems",params:{limit: 16},message:"must NOT have more than 16 items"};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
if(data34.length < 1){
const err100 = {instancePath:instancePath+"/spec/models/" + i2+"/chain",schemaPath:"#/properties/spec/properties/models/items/properties/chain/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
const len4 = data34.length;
for(let i4=0; i4<len4; i4++){
let data35 = data34[i4];
if(typeof data35 === "string"){
if(func2(data35) > 128){
const err101 = {instancePath:instancePath+"/spec/models/" + i2+"/chain/" + i4,schemaPath:"#/properties/spec/properties/models/items/properties/chain/items/maxLength",keyword:"maxLength",params:{limit: 128},message:"must NOT have more than 128 characters"};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
if(func2(data35) < 1){
const err102 = {instancePath:instancePath+"/spec/models/" + i2+"/chain/" + i4,schemaPath:"#/properties/spec/properties/models/items/properties/chain/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err102];
}
else {
vErrors.push(err102);
}
errors++;
}
if(!pattern9.test(data35)){
const err103 = {instancePath:instancePath+"/spec/models/" + i2+"/chain/" + i4,schemaPath:"#/properties/spec/properties/models/items/properties/chain/items/pattern",keyword:"pattern",params:{pattern: "^[^\\s*]+$"},message:"must match pattern \""+"^[^\\s*]+$"+"\""};
if(vErrors === null){
vErrors = [err103];
}
else {
vErrors.push(err103);
}
errors++;
}
}
else {
const err104 = {instancePath:instancePath+"/spec/models/" + i2+"/chain/" + i4,schemaPath:"#/properties/spec/properties/models/items/properties/chain/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err104];
}
else {
vErrors.push(err104);
}
errors++;
}
}
}
else {
const err105 = {instancePath:instancePath+"/spec/models/" + i2+"/chain",schemaPath:"#/properties/spec/properties/models/items/properties/chain/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err105];
}
else {
vErrors.push(err105);
}
errors++;
}
}
if(data31.official !== undefined){
let data36 = data31.official;
if(typeof data36 === "string"){
if(func2(data36) > 128){
const err106 = {instancePath:instancePath+"/spec/models/" + i2+"/official",schemaPath:"#/properties/spec/properties/models/items/properties/official/maxLength",keyword:"maxLength",params:{limit: 128},message:"must NOT have more than 128 characters"};
if(vErrors === null){
vErrors = [err106];
}
else {
vErrors.push(err106);
}
errors++;
}
if(func2(data36) < 1){
const err107 = {instancePath:instancePath+"/spec/models/" + i2+"/official",schemaPath:"#/properties/spec/properties/models/items/properties/official/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err107];
}
else {
vErrors.push(err107);
}
errors++;
}
if(!pattern9.test(data36)){
const err108 = {instancePath:instancePath+"/spec/models/" + i2+"/official",schemaPath:"#/properties/spec/properties/models/items/properties/official/pattern",keyword:"pattern",params:{pattern: "^[^\\s*]+$"},message:"must match pattern \""+"^[^\\s*]+$"+"\""};
if(vErrors === null){
vErrors = [err108];
}
else {
vErrors.push(err108);
}
errors++;
}
}
else {
const err109 = {instancePath:instancePath+"/spec/models/" + i2+"/official",schemaPath:"#/properties/spec/properties/models/items/properties/official/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err109];
}
else {
vErrors.push(err109);
}
errors++;
}
}
}
else {
const err110 = {instancePath:instancePath+"/spec/models/" + i2,schemaPath:"#/properties/spec/properties/models/items/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err110];
}
else {
vErrors.push(err110);
}
errors++;
}
}
}
else {
const err111 = {instancePath:instancePath+"/spec/models",schemaPath:"#/properties/spec/properties/models/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err111];
}
else {
vErrors.push(err111);
}
errors++;
}
}
if(data10.catalog !== undefined){
let data37 = data10.catalog;
if(Array.isArray(data37)){
if(data37.length > 256){
const err112 = {instancePath:instancePath+"/spec/catalog",schemaPath:"#/properties/spec/properties/catalog/maxItems",keyword:"maxItems",params:{limit: 256},message:"must NOT have more than 256 items"};
if(vErrors === null){
vErrors = [err112];
}
else {
vErrors.push(err112);
}
errors++;
}
const len5 = data37.length;
for(let i5=0; i5<len5; i5++){
let data38 = data37[i5];
if(data38 && typeof data38 == "object" && !Array.isArray(data38)){
if(data38.name === undefined){
const err113 = {instancePath:instancePath+"/spec/catalog/" + i5,schemaPath:"#/properties/spec/properties/catalog/items/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'"};
if(vErrors === null){
vErrors = [err113];
}
else {
vErrors.push(err113);
}
errors++;
}
for(const key12 in data38){
if(!(((key12 === "name") || (key12 === "contextWindow")) || (key12 === "price"))){
const err114 = {instancePath:instancePath+"/spec/catalog/" + i5,schemaPath:"#/properties/spec/properties/catalog/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key12},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err114];
}
else {
vErrors.push(err114);
}
errors++;
}
}
if(data38.name !== undefined){
let data39 = data38.name;
if(typeof data39 === "string"){
if(func2(data39) > 128){
const err115 = {instancePath:instancePath+"/spec/catalog/" + i5+"/name",schemaPath:"#/properties/spec/properties/catalog/items/properties/name/maxLength",keyword:"maxLength",params:{limit: 128},message:"must NOT have more than 128 characters"};
if(vErrors === null){
vErrors = [err115];
}
else {
vErrors.push(err115);
}
errors++;
}
if(func2(data39) < 1){
const err116 = {instancePath:instancePath+"/spec/catalog/" + i5+"/name",schemaPath:"#/properties/spec/properties/catalog/items/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err116];
}
else {
vErrors.push(err116);
}
errors++;
}
if(!pattern9.test(data39)){
const err117 = {instancePath:instancePath+"/spec/catalog/" + i5+"/name",schemaPath:"#/properties/spec/properties/catalog/items/properties/name/pattern",keyword:"pattern",params:{pattern: "^[^\\s*]+$"},message:"must match pattern \""+"^[^\\s*]+$"+"\""};
if(vErrors === null){
vErrors = [err117];
}
else {
vErrors.push(err117);
}
errors++;
}
}
else {
const err118 = {instancePath:instancePath+"/spec/catalog/" + i5+"/name",schemaPath:"#/properties/spec/properties/catalog/items/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err118];
}
else {
vErrors.push(err118);
}
errors++;
}
}
if(data38.contextWindow !== undefined){
let data40 = data38.contextWindow;
if(!(((typeof data40 == "number") && (!(data40 % 1) && !isNaN(data40))) && (isFinite(data40)))){
const err119 = {instancePath:instancePath+"/spec/catalog/" + i5+"/contextWindow",schemaPath:"#/properties/spec/properties/catalog/items/properties/contextWindow/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err119];
}
else {
vErrors.push(err119);
}
errors++;
}
if((typeof data40 == "number") && (isFinite(data40))){
if(data40 > 100000000 || isNaN(data40)){
const err120 = {instancePath:instancePath+"/spec/catalog/" + i5+"/contextWindow",schemaPath:"#/properties/spec/properties/catalog/items/properties/contextWindow/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100000000},message:"must be <= 100000000"};
if(vErrors === null){
vErrors = [err120];
}
else {
vErrors.push(err120);
}
errors++;
}
if(data40 < 1 || isNaN(data40)){
const err121 = {instancePath:instancePath+"/spec/catalog/" + i5+"/contextWindow",schemaPath:"#/properties/spec/properties/catalog/items/properties/contextWindow/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err121];
}
else {
vErrors.push(err121);
}
errors++;
}
}
}
if(data38.price !== undefined){
let data41 = data38.price;
if(data41 && typeof data41 == "object" && !Array.isArray(data41)){
if(data41.input === undefined){
const err122 = {instancePath:instancePath+"/spec/catalog/" + i5+"/price",schemaPath:"#/properties/spec/properties/catalog/items/properties/price/required",keyword:"required",params:{missingProperty: "input"},message:"must have required property '"+"input"+"'"};
if(vErrors === null){
vErrors = [err122];
}
else {
vErrors.push(err122);
}
errors++;
}
if(data41.output === undefined){
const err123 = {instancePath:instancePath+"/spec/catalog/" + i5+"/price",schemaPath:"#/properties/spec/properties/catalog/items/properties/price/required",keyword:"required",params:{missingProperty: "output"},message:"must have required property '"+"output"+"'"};
if(vErrors === null){
vErrors = [err123];
}
else {
vErrors.push(err123);
}
errors++;
}
for(const key13 in data41){
if(!(((key13 === "input") || (key13 === "output")) || (key13 === "cachedInput"))){
const err124 = {instancePath:instancePath+"/spec/catalog/" + i5+"/price",schemaPath:"#/properties/spec/properties/catalog/items/properties/price/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key13},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err124];
}
else {
vErrors.push(err124);
}
errors++;
}
}
if(data41.input !== undefined){
let data42 = data41.input;
if((typeof data42 == "number") && (isFinite(data42))){
if(data42 < 0 || isNaN(data42)){
const err125 = {instancePath:instancePath+"/spec/catalog/" + i5+"/price/input",schemaPath:"#/properties/spec/properties/catalog/items/properties/price/properties/input/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err125];
}
else {
vErrors.push(err125);
}
errors++;
}
}
else {
const err126 = {instancePath:instancePath+"/spec/catalog/" + i5+"/price/input",schemaPath:"#/properties/spec/properties/catalog/items/properties/price/properties/input/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err126];
}
else {
vErrors.push(err126);
}
errors++;
}
}
if(data41.output !== undefined){
let data43 = data41.output;
if((typeof data43 == "number") && (isFinite(data43))){
if(data43 < 0 || isNaN(data43)){
const err127 = {instancePath:instancePath+"/spec/catalog/" + i5+"/price/output",schemaPath:"#/properties/spec/properties/catalog/items/properties/price/properties/output/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err127];
}
else {
vErrors.push(err127);
}
errors++;
}
}
else {
const err128 = {instancePath:instancePath+"/spec/catalog/" + i5+"/price/output",schemaPath:"#/properties/spec/properties/catalog/items/properties/price/properties/output/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err128];
}
else {
vErrors.push(err128);
}
errors++;
}
}
if(data41.cachedInput !== undefined){
let data44 = data41.cachedInput;
if((typeof data44 == "number") && (isFinite(data44))){
if(data44 < 0 || isNaN(data44)){
const err129 = {instancePath:instancePath+"/spec/catalog/" + i5+"/price/cachedInput",schemaPath:"#/properties/spec/properties/catalog/items/properties/price/properties/cachedInput/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err129];
}
else {
vErrors.push(err129);
}
errors++;
}
}
else {
const err130 = {instancePath:instancePath+"/spec/catalog/" + i5+"/price/cachedInput",schemaPath:"#/properties/spec/properties/catalog/items/properties/price/properties/cachedInput/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err130];
}
else {
vErrors.push(err130);
}
errors++;
}
}
}
else {
const err131 = {instancePath:instancePath+"/spec/catalog/" + i5+"/price",schemaPath:"#/properties/spec/properties/catalog/items/properties/price/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err131];
}
else {
vErrors.push(err131);
}
errors++;
}
}
}
else {
const err132 = {instancePath:instancePath+"/spec/catalog/" + i5,schemaPath:"#/properties/spec/properties/catalog/items/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err132];
}
else {
vErrors.push(err132);
}
errors++;
}
}
}
else {
const err133 = {instancePath:instancePath+"/spec/catalog",schemaPath:"#/properties/spec/properties/catalog/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err133];
}
else {
vErrors.push(err133);
}
errors++;
}
}
let data45 = data10.canary;
if(data45 && typeof data45 == "object" && !Array.isArray(data45)){
if(data45.mode === undefined){
data45.mode = "canary";
}
if(data45.weight === undefined){
data45.weight = 0;
}
if(data45.fallbackToOfficial === undefined){
data45.fallbackToOfficial = true;
}
for(const key14 in data45){
if(!((((((key14 === "mode") || (key14 === "weight")) || (key14 === "stickyBy")) || (key14 === "fallbackToOfficial")) || (key14 === "restartedAt")) || (key14 === "steps"))){
const err134 = {instancePath:instancePath+"/spec/canary",schemaPath:"#/properties/spec/properties/canary/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key14},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err134];
}
else {
vErrors.push(err134);
}
errors++;
}
}
let data46 = data45.mode;
if(typeof data46 !== "string"){
const err135 = {instancePath:instancePath+"/spec/canary/mode",schemaPath:"#/properties/spec/properties/canary/properties/mode/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err135];
}
else {
vErrors.push(err135);
}
errors++;
}
if(!((data46 === "canary") || (data46 === "fallbackOnly"))){
const err136 = {instancePath:instancePath+"/spec/canary/mode",schemaPath:"#/properties/spec/properties/canary/properties/mode/enum",keyword:"enum",params:{allowedValues: schema11.properties.spec.properties.canary.properties.mode.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err136];
}
else {
vErrors.push(err136);
}
errors++;
}
let data47 = data45.weight;
if(!(((typeof data47 == "number") && (!(data47 % 1) && !isNaN(data47))) && (isFinite(data47)))){
const err137 = {instancePath:instancePath+"/spec/canary/weight",schemaPath:"#/properties/spec/properties/canary/properties/weight/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err137];
}
else {
vErrors.push(err137);
}
errors++;
}
if((typeof data47 == "number") && (isFinite(data47))){
if(data47 > 100 || isNaN(data47)){
const err138 = {instancePath:instancePath+"/spec/canary/weight",schemaPath:"#/properties/spec/properties/canary/properties/weight/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};
if(vErrors === null){
vErrors = [err138];
}
else {
vErrors.push(err138);
}
errors++;
}
if(data47 < 0 || isNaN(data47)){
const err139 = {instancePath:instancePath+"/spec/canary/weight",schemaPath:"#/properties/spec/properties/canary/properties/weight/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err139];
}
else {
vErrors.push(err139);
}
errors++;
}
}
if(data45.stickyBy !== undefined){
let data48 = data45.stickyBy;
if(typeof data48 === "string"){
if(func2(data48) > 256){
const err140 = {instancePath:instancePath+"/spec/canary/stickyBy",schemaPath:"#/properties/spec/properties/canary/properties/stickyBy/maxLength",keyword:"maxLength",params:{limit: 256},message:"must NOT have more than 256 characters"};
if(vErrors === null){
vErrors = [err140];
}
else {
vErrors.push(err140);
}
errors++;
}
if(!pattern12.test(data48)){
const err141 = {instancePath:instancePath+"/spec/canary/stickyBy",schemaPath:"#/properties/spec/properties/canary/properties/stickyBy/pattern",keyword:"pattern",params:{pattern: "^(header:[A-Za-z0-9-]+|body:[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*)$"},message:"must match pattern \""+"^(header:[A-Za-z0-9-]+|body:[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*)$"+"\""};
if(vErrors === null){
vErrors = [err141];
}
else {
vErrors.push(err141);
}
errors++;
}
}
else {
const err142 = {instancePath:instancePath+"/spec/canary/stickyBy",schemaPath:"#/properties/spec/properties/canary/properties/stickyBy/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err142];
}
else {
vErrors.push(err142);
}
errors++;
}
}
if(typeof data45.fallbackToOfficial !== "boolean"){
const err143 = {instancePath:instancePath+"/spec/canary/fallbackToOfficial",schemaPath:"#/properties/spec/properties/canary/properties/fallbackToOfficial/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err143];
}
else {
vErrors.push(err143);
}
errors++;
}
if(data45.restartedAt !== undefined){
let data50 = data45.restartedAt;
if(typeof data50 === "string"){
if(func2(data50) > 64){
const err144 = {instancePath:instancePath+"/spec/canary/restartedAt",schemaPath:"#/properties/spec/properties/canary/properties/restartedAt/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters"};
if(vErrors === null){
vErrors = [err144];
}
else {
vErrors.push(err144);
}
errors++;
}
if(!(formats0.test(data50))){
const err145 = {instancePath:instancePath+"/spec/canary/restartedAt",schemaPath:"#/properties/spec/properties/canary/properties/restartedAt/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""};
if(vErrors === null){
vErrors = [err145];
}
else {
vErrors.push(err145);
}
errors++;
}
}
else {
const err146 = {instancePath:instancePath+"/spec/canary/restartedAt",schemaPath:"#/properties/spec/properties/canary/properties/restartedAt/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err146];
}
else {
vErrors.push(err146);
}
errors++;
}
}
if(data45.steps !== undefined){
let data51 = data45.steps;
if(data51 && typeof data51 == "object" && !Array.isArray(data51)){
if(data51.weights === undefined){
const err147 = {instancePath:instancePath+"/spec/canary/steps",schemaPath:"#/properties/spec/properties/canary/properties/steps/required",keyword:"required",params:{missingProperty: "weights"},message:"must have required property '"+"weights"+"'"};
if(vErrors === null){
vErrors = [err147];
}
else {
vErrors.push(err147);
}
errors++;
}
if(data51.interval === undefined){
const err148 = {instancePath:instancePath+"/spec/canary/steps",schemaPath:"#/properties/spec/properties/canary/properties/steps/required",keyword:"required",params:{missingProperty: "interval"},message:"must have required property '"+"interval"+"'"};
if(vErrors === null){
vErrors = [err148];
}
else {
vErrors.push(err148);
}
errors++;
}
for(const key15 in data51){
if(!((key15 === "weights") || (key15 === "interval"))){
const err149 = {instancePath:instancePath+"/spec/canary/steps",schemaPath:"#/properties/spec/properties/canary/properties/steps/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key15},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err149];
}
else {
vErrors.push(err149);
}
errors++;
}
}
if(data51.weights !== undefined){
let data52 = data51.weights;
if(Array.isArray(data52)){
if(data52.length > 20){
const err150 = {instancePath:instancePath+"/spec/canary/steps/weights",schemaPath:"#/properties/spec/properties/canary/properties/steps/properties/weights/maxItems",keyword:"maxItems",params:{limit: 20},message:"must NOT have more than 20 items"};
if(vErrors === null){
vErrors = [err150];
}
else {
vErrors.push(err150);
}
errors++;
}
if(data52.length < 1){
const err151 = {instancePath:instancePath+"/spec/canary/steps/weights",schemaPath:"#/properties/spec/properties/canary/properties/steps/properties/weights/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err151];
}
else {
vErrors.push(err151);
}
errors++;
}
const len6 = data52.length;
for(let i6=0; i6<len6; i6++){
let data53 = data52[i6];
if(!(((typeof data53 == "number") && (!(data53 % 1) && !isNaN(data53))) && (isFinite(data53)))){
const err152 = {instancePath:instancePath+"/spec/canary/steps/weights/" + i6,schemaPath:"#/properties/spec/properties/canary/properties/steps/properties/weights/items/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err152];
}
else {
vErrors.push(err152);
}
errors++;
}
if((typeof data53 == "number") && (isFinite(data53))){
if(data53 > 100 || isNaN(data53)){
const err153 = {instancePath:instancePath+"/spec/canary/steps/weights/" + i6,schemaPath:"#/properties/spec/properties/canary/properties/steps/properties/weights/items/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};
if(vErrors === null){
vErrors = [err153];
}
else {
vErrors.push(err153);
}
errors++;
}
if(data53 < 1 || isNaN(data53)){
const err154 = {instancePath:instancePath+"/spec/canary/steps/weights/" + i6,schemaPath:"#/properties/spec/properties/canary/properties/steps/properties/weights/items/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err154];
}
else {
vErrors.push(err154);
}
errors++;
}
}
}
}
else {
const err155 = {instancePath:instancePath+"/spec/canary/steps/weights",schemaPath:"#/properties/spec/properties/canary/properties/steps/properties/weights/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err155];
}
else {
vErrors.push(err155);
}
errors++;
}
}
if(data51.interval !== undefined){
let data54 = data51.interval;
if(typeof data54 === "string"){
if(func2(data54) > 32){
const err156 = {instancePath:instancePath+"/spec/canary/steps/interval",schemaPath:"#/properties/spec/properties/canary/properties/steps/properties/interval/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err156];
}
else {
vErrors.push(err156);
}
errors++;
}
if(!pattern13.test(data54)){
const err157 = {instancePath:instancePath+"/spec/canary/steps/interval",schemaPath:"#/properties/spec/properties/canary/properties/steps/properties/interval/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"+"\""};
if(vErrors === null){
vErrors = [err157];
}
else {
vErrors.push(err157);
}
errors++;
}
}
else {
const err158 = {instancePath:instancePath+"/spec/canary/steps/interval",schemaPath:"#/properties/spec/properties/canary/properties/steps/properties/interval/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err158];
}
else {
vErrors.push(err158);
}
errors++;
}
}
}
else {
const err159 = {instancePath:instancePath+"/spec/canary/steps",schemaPath:"#/properties/spec/properties/canary/properties/steps/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err159];
}
else {
vErrors.push(err159);
}
errors++;
}
}
}
else {
const err160 = {instancePath:instancePath+"/spec/canary",schemaPath:"#/properties/spec/properties/canary/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err160];
}
else {
vErrors.push(err160);
}
errors++;
}
let data55 = data10.rollback;
if(data55 && typeof data55 == "object" && !Array.isArray(data55)){
if(data55.window === undefined){
data55.window = "15m";
}
if(data55.minRequests === undefined){
data55.minRequests = 100;
}
if(data55.maxErrorRate === undefined){
data55.maxErrorRate = 0.01;
}
if(data55.maxP99Latency === undefined){
data55.maxP99Latency = "2s";
}
if(data55.action === undefined){
data55.action = "rollback";
}
for(const key16 in data55){
if(!(((((key16 === "window") || (key16 === "minRequests")) || (key16 === "maxErrorRate")) || (key16 === "maxP99Latency")) || (key16 === "action"))){
const err161 = {instancePath:instancePath+"/spec/rollback",schemaPath:"#/properties/spec/properties/rollback/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key16},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err161];
}
else {
vErrors.push(err161);
}
errors++;
}
}
let data56 = data55.window;
if(typeof data56 === "string"){
if(func2(data56) > 32){
const err162 = {instancePath:instancePath+"/spec/rollback/window",schemaPath:"#/properties/spec/properties/rollback/properties/window/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err162];
}
else {
vErrors.push(err162);
}
errors++;
}
if(!pattern13.test(data56)){
const err163 = {instancePath:instancePath+"/spec/rollback/window",schemaPath:"#/properties/spec/properties/rollback/properties/window/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"+"\""};
if(vErrors === null){
vErrors = [err163];
}
else {
vErrors.push(err163);
}
errors++;
}
}
else {
const err164 = {instancePath:instancePath+"/spec/rollback/window",schemaPath:"#/properties/spec/properties/rollback/properties/window/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err164];
}
else {
vErrors.push(err164);
}
errors++;
}
let data57 = data55.minRequests;
if(!(((typeof data57 == "number") && (!(data57 % 1) && !isNaN(data57))) && (isFinite(data57)))){
const err165 = {instancePath:instancePath+"/spec/rollback/minRequests",schemaPath:"#/properties/spec/properties/rollback/properties/minRequests/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err165];
}
else {
vErrors.push(err165);
}
errors++;
}
if((typeof data57 == "number") && (isFinite(data57))){
if(data57 > 1000000000 || isNaN(data57)){
const err166 = {instancePath:instancePath+"/spec/rollback/minRequests",schemaPath:"#/properties/spec/properties/rollback/properties/minRequests/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000000},message:"must be <= 1000000000"};
if(vErrors === null){
vErrors = [err166];
}
else {
vErrors.push(err166);
}
errors++;
}
if(data57 < 1 || isNaN(data57)){
const err167 = {instancePath:instancePath+"/spec/rollback/minRequests",schemaPath:"#/properties/spec/properties/rollback/properties/minRequests/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err167];
}
else {
vErrors.push(err167);
}
errors++;
}
}
let data58 = data55.maxErrorRate;
if((typeof data58 == "number") && (isFinite(data58))){
if(data58 > 1 || isNaN(data58)){
const err168 = {instancePath:instancePath+"/spec/rollback/maxErrorRate",schemaPath:"#/properties/spec/properties/rollback/properties/maxErrorRate/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1"};
if(vErrors === null){
vErrors = [err168];
}
else {
vErrors.push(err168);
}
errors++;
}
if(data58 < 0 || isNaN(data58)){
const err169 = {instancePath:instancePath+"/spec/rollback/maxErrorRate",schemaPath:"#/properties/spec/properties/rollback/properties/maxErrorRate/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err169];
}
else {
vErrors.push(err169);
}
errors++;
}
}
else {
const err170 = {instancePath:instancePath+"/spec/rollback/maxErrorRate",schemaPath:"#/properties/spec/properties/rollback/properties/maxErrorRate/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err170];
}
else {
vErrors.push(err170);
}
errors++;
}
let data59 = data55.maxP99Latency;
if(typeof data59 === "string"){
if(func2(data59) > 32){
const err171 = {instancePath:instancePath+"/spec/rollback/maxP99Latency",schemaPath:"#/properties/spec/properties/rollback/properties/maxP99Latency/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err171];
}
else {
vErrors.push(err171);
}
errors++;
}
if(!pattern13.test(data59)){
const err172 = {instancePath:instancePath+"/spec/rollback/maxP99Latency",schemaPath:"#/properties/spec/properties/rollback/properties/maxP99Latency/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"+"\""};
if(vErrors === null){
vErrors = [err172];
}
else {
vErrors.push(err172);
}
errors++;
}
}
else {
const err173 = {instancePath:instancePath+"/spec/rollback/maxP99Latency",schemaPath:"#/properties/spec/properties/rollback/properties/maxP99Latency/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err173];
}
else {
vErrors.push(err173);
}
errors++;
}
let data60 = data55.action;
if(typeof data60 !== "string"){
const err174 = {instancePath:instancePath+"/spec/rollback/action",schemaPath:"#/properties/spec/properties/rollback/properties/action/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err174];
}
else {
vErrors.push(err174);
}
errors++;
}
if(!((data60 === "rollback") || (data60 === "alert"))){
const err175 = {instancePath:instancePath+"/spec/rollback/action",schemaPath:"#/properties/spec/properties/rollback/properties/action/enum",keyword:"enum",params:{allowedValues: schema11.properties.spec.properties.rollback.properties.action.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err175];
}
else {
vErrors.push(err175);
}
errors++;
}
}
else {
const err176 = {instancePath:instancePath+"/spec/rollback",schemaPath:"#/properties/spec/properties/rollback/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err176];
}
else {
vErrors.push(err176);
}
errors++;
}
let data61 = data10.retry;
if(data61 && typeof data61 == "object" && !Array.isArray(data61)){
if(data61.attempts === undefined){
data61.attempts = 2;
}
if(data61.backoff === undefined){
data61.backoff = {"base":"250ms","max":"10s"};
}
if(data61.retryOn === undefined){
data61.retryOn = [429,500,502,503,504,"connect-error","timeout"];
}
for(const key17 in data61){
if(!(((key17 === "attempts") || (key17 === "backoff")) || (key17 === "retryOn"))){
const err177 = {instancePath:instancePath+"/spec/retry",schemaPath:"#/properties/spec/properties/retry/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key17},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err177];
}
else {
vErrors.push(err177);
}
errors++;
}
}
let data62 = data61.attempts;
if(!(((typeof data62 == "number") && (!(data62 % 1) && !isNaN(data62))) && (isFinite(data62)))){
const err178 = {instancePath:instancePath+"/spec/retry/attempts",schemaPath:"#/properties/spec/properties/retry/properties/attempts/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err178];
}
else {
vErrors.push(err178);
}
errors++;
}
if((typeof data62 == "number") && (isFinite(data62))){
if(data62 > 10 || isNaN(data62)){
const err179 = {instancePath:instancePath+"/spec/retry/attempts",schemaPath:"#/properties/spec/properties/retry/properties/attempts/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10},message:"must be <= 10"};
if(vErrors === null){
vErrors = [err179];
}
else {
vErrors.push(err179);
}
errors++;
}
if(data62 < 0 || isNaN(data62)){
const err180 = {instancePath:instancePath+"/spec/retry/attempts",schemaPath:"#/properties/spec/properties/retry/properties/attempts/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err180];
}
else {
vErrors.push(err180);
}
errors++;
}
}
let data63 = data61.backoff;
if(data63 && typeof data63 == "object" && !Array.isArray(data63)){
if(data63.base === undefined){
data63.base = "250ms";
}
if(data63.max === undefined){
data63.max = "10s";
}
for(const key18 in data63){
if(!((key18 === "base") || (key18 === "max"))){
const err181 = {instancePath:instancePath+"/spec/retry/backoff",schemaPath:"#/properties/spec/properties/retry/properties/backoff/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key18},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err181];
}
else {
vErrors.push(err181);
}
errors++;
}
}
let data64 = data63.base;
if(typeof data64 === "string"){
if(func2(data64) > 32){
const err182 = {instancePath:instancePath+"/spec/retry/backoff/base",schemaPath:"#/properties/spec/properties/retry/properties/backoff/properties/base/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err182];
}
else {
vErrors.push(err182);
}
errors++;
}
if(!pattern13.test(data64)){
const err183 = {instancePath:instancePath+"/spec/retry/backoff/base",schemaPath:"#/properties/spec/properties/retry/properties/backoff/properties/base/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"+"\""};
if(vErrors === null){
vErrors = [err183];
}
else {
vErrors.push(err183);
}
errors++;
}
}
else {
const err184 = {instancePath:instancePath+"/spec/retry/backoff/base",schemaPath:"#/properties/spec/properties/retry/properties/backoff/properties/base/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err184];
}
else {
vErrors.push(err184);
}
errors++;
}
let data65 = data63.max;
if(typeof data65 === "string"){
if(func2(data65) > 32){
const err185 = {instancePath:instancePath+"/spec/retry/backoff/max",schemaPath:"#/properties/spec/properties/retry/properties/backoff/properties/max/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err185];
}
else {
vErrors.push(err185);
}
errors++;
}
if(!pattern13.test(data65)){
const err186 = {instancePath:instancePath+"/spec/retry/backoff/max",schemaPath:"#/properties/spec/properties/retry/properties/backoff/properties/max/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"+"\""};
if(vErrors === null){
vErrors = [err186];
}
else {
vErrors.push(err186);
}
errors++;
}
}
else {
const err187 = {instancePath:instancePath+"/spec/retry/backoff/max",schemaPath:"#/properties/spec/properties/retry/properties/backoff/properties/max/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err187];
}
else {
vErrors.push(err187);
}
errors++;
}
}
else {
const err188 = {instancePath:instancePath+"/spec/retry/backoff",schemaPath:"#/properties/spec/properties/retry/properties/backoff/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err188];
}
else {
vErrors.push(err188);
}
errors++;
}
let data66 = data61.retryOn;
if(Array.isArray(data66)){
if(data66.length > 32){
const err189 = {instancePath:instancePath+"/spec/retry/retryOn",schemaPath:"#/properties/spec/properties/retry/properties/retryOn/maxItems",keyword:"maxItems",params:{limit: 32},message:"must NOT have more than 32 items"};
if(vErrors === null){
vErrors = [err189];
}
else {
vErrors.push(err189);
}
errors++;
}
const len7 = data66.length;
for(let i7=0; i7<len7; i7++){
let data67 = data66[i7];
if((!(((typeof data67 == "number") && (!(data67 % 1) && !isNaN(data67))) && (isFinite(data67)))) && (typeof data67 !== "string")){
const err190 = {instancePath:instancePath+"/spec/retry/retryOn/" + i7,schemaPath:"#/properties/spec/properties/retry/properties/retryOn/items/type",keyword:"type",params:{type: schema11.properties.spec.properties.retry.properties.retryOn.items.type},message:"must be integer,string"};
if(vErrors === null){
vErrors = [err190];
}
else {
vErrors.push(err190);
}
errors++;
}
if((typeof data67 == "number") && (isFinite(data67))){
if(data67 > 599 || isNaN(data67)){
const err191 = {instancePath:instancePath+"/spec/retry/retryOn/" + i7,schemaPath:"#/properties/spec/properties/retry/properties/retryOn/items/maximum",keyword:"maximum",params:{comparison: "<=", limit: 599},message:"must be <= 599"};
if(vErrors === null){
vErrors = [err191];
}
else {
vErrors.push(err191);
}
errors++;
}
if(data67 < 400 || isNaN(data67)){
const err192 = {instancePath:instancePath+"/spec/retry/retryOn/" + i7,schemaPath:"#/properties/spec/properties/retry/properties/retryOn/items/minimum",keyword:"minimum",params:{comparison: ">=", limit: 400},message:"must be >= 400"};
if(vErrors === null){
vErrors = [err192];
}
else {
vErrors.push(err192);
}
errors++;
}
}
if(typeof data67 === "string"){
if(func2(data67) > 16){
const err193 = {instancePath:instancePath+"/spec/retry/retryOn/" + i7,schemaPath:"#/properties/spec/properties/retry/properties/retryOn/items/maxLength",keyword:"maxLength",params:{limit: 16},message:"must NOT have more than 16 characters"};
if(vErrors === null){
vErrors = [err193];
}
else {
vErrors.push(err193);
}
errors++;
}
if(!pattern18.test(data67)){
const err194 = {instancePath:instancePath+"/spec/retry/retryOn/" + i7,schemaPath:"#/properties/spec/properties/retry/properties/retryOn/items/pattern",keyword:"pattern",params:{pattern: "^[45][0-9][0-9]$|^connect-error$|^timeout$"},message:"must match pattern \""+"^[45][0-9][0-9]$|^connect-error$|^timeout$"+"\""};
if(vErrors === null){
vErrors = [err194];
}
else {
vErrors.push(err194);
}
errors++;
}
}
}
}
else {
const err195 = {instancePath:instancePath+"/spec/retry/retryOn",schemaPath:"#/properties/spec/properties/retry/properties/retryOn/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err195];
}
else {
vErrors.push(err195);
}
errors++;
}
}
else {
const err196 = {instancePath:instancePath+"/spec/retry",schemaPath:"#/properties/spec/properties/retry/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err196];
}
else {
vErrors.push(err196);
}
errors++;
}
let data68 = data10.timeouts;
if(data68 && typeof data68 == "object" && !Array.isArray(data68)){
if(data68.connect === undefined){
data68.connect = "5s";
}
if(data68.firstByte === undefined){
data68.firstByte = "60s";
}
if(data68.idle === undefined){
data68.idle = "60s";
}
if(data68.total === undefined){
data68.total = "10m";
}
for(const key19 in data68){
if(!((((key19 === "connect") || (key19 === "firstByte")) || (key19 === "idle")) || (key19 === "total"))){
const err197 = {instancePath:instancePath+"/spec/timeouts",schemaPath:"#/properties/spec/properties/timeouts/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key19},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err197];
}
else {
vErrors.push(err197);
}
errors++;
}
}
let data69 = data68.connect;
if(typeof data69 === "string"){
if(func2(data69) > 32){
const err198 = {instancePath:instancePath+"/spec/timeouts/connect",schemaPath:"#/properties/spec/properties/timeouts/properties/connect/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err198];
}
else {
vErrors.push(err198);
}
errors++;
}
if(!pattern13.test(data69)){
const err199 = {instancePath:instancePath+"/spec/timeouts/connect",schemaPath:"#/properties/spec/properties/timeouts/properties/connect/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"+"\""};
if(vErrors === null){
vErrors = [err199];
}
else {
vErrors.push(err199);
}
errors++;
}
}
else {
const err200 = {instancePath:instancePath+"/spec/timeouts/connect",schemaPath:"#/properties/spec/properties/timeouts/properties/connect/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err200];
}
else {
vErrors.push(err200);
}
errors++;
}
let data70 = data68.firstByte;
if(typeof data70 === "string"){
if(func2(data70) > 32){
const err201 = {instancePath:instancePath+"/spec/timeouts/firstByte",schemaPath:"#/properties/spec/properties/timeouts/properties/firstByte/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err201];
}
else {
vErrors.push(err201);
}
errors++;
}
if(!pattern13.test(data70)){
const err202 = {instancePath:instancePath+"/spec/timeouts/firstByte",schemaPath:"#/properties/spec/properties/timeouts/properties/firstByte/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"+"\""};
if(vErrors === null){
vErrors = [err202];
}
else {
vErrors.push(err202);
}
errors++;
}
}
else {
const err203 = {instancePath:instancePath+"/spec/timeouts/firstByte",schemaPath:"#/properties/spec/properties/timeouts/properties/firstByte/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err203];
}
else {
vErrors.push(err203);
}
errors++;
}
let data71 = data68.idle;
if(typeof data71 === "string"){
if(func2(data71) > 32){
const err204 = {instancePath:instancePath+"/spec/timeouts/idle",schemaPath:"#/properties/spec/properties/timeouts/properties/idle/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err204];
}
else {
vErrors.push(err204);
}
errors++;
}
if(!pattern13.test(data71)){
const err205 = {instancePath:instancePath+"/spec/timeouts/idle",schemaPath:"#/properties/spec/properties/timeouts/properties/idle/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"+"\""};
if(vErrors === null){
vErrors = [err205];
}
else {
vErrors.push(err205);
}
errors++;
}
}
else {
const err206 = {instancePath:instancePath+"/spec/timeouts/idle",schemaPath:"#/properties/spec/properties/timeouts/properties/idle/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err206];
}
else {
vErrors.push(err206);
}
errors++;
}
let data72 = data68.total;
if(typeof data72 === "string"){
if(func2(data72) > 32){
const err207 = {instancePath:instancePath+"/spec/timeouts/total",schemaPath:"#/properties/spec/properties/timeouts/properties/total/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err207];
}
else {
vErrors.push(err207);
}
errors++;
}
if(!pattern13.test(data72)){
const err208 = {instancePath:instancePath+"/spec/timeouts/total",schemaPath:"#/properties/spec/properties/timeouts/properties/total/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"+"\""};
if(vErrors === null){
vErrors = [err208];
}
else {
vErrors.push(err208);
}
errors++;
}
}
else {
const err209 = {instancePath:instancePath+"/spec/timeouts/total",schemaPath:"#/properties/spec/properties/timeouts/properties/total/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err209];
}
else {
vErrors.push(err209);
}
errors++;
}
}
else {
const err210 = {instancePath:instancePath+"/spec/timeouts",schemaPath:"#/properties/spec/properties/timeouts/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err210];
}
else {
vErrors.push(err210);
}
errors++;
}
let data73 = data10.circuitBreaker;
if(data73 && typeof data73 == "object" && !Array.isArray(data73)){
if(data73.consecutiveFailures === undefined){
data73.consecutiveFailures = 3;
}
if(data73.cooldown === undefined){
data73.cooldown = "30s";
}
for(const key20 in data73){
if(!((key20 === "consecutiveFailures") || (key20 === "cooldown"))){
const err211 = {instancePath:instancePath+"/spec/circuitBreaker",schemaPath:"#/properties/spec/properties/circuitBreaker/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key20},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err211];
}
else {
vErrors.push(err211);
}
errors++;
}
}
let data74 = data73.consecutiveFailures;
if(!(((typeof data74 == "number") && (!(data74 % 1) && !isNaN(data74))) && (isFinite(data74)))){
const err212 = {instancePath:instancePath+"/spec/circuitBreaker/consecutiveFailures",schemaPath:"#/properties/spec/properties/circuitBreaker/properties/consecutiveFailures/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err212];
}
else {
vErrors.push(err212);
}
errors++;
}
if((typeof data74 == "number") && (isFinite(data74))){
if(data74 > 1000 || isNaN(data74)){
const err213 = {instancePath:instancePath+"/spec/circuitBreaker/consecutiveFailures",schemaPath:"#/properties/spec/properties/circuitBreaker/properties/consecutiveFailures/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000},message:"must be <= 1000"};
if(vErrors === null){
vErrors = [err213];
}
else {
vErrors.push(err213);
}
errors++;
}
if(data74 < 1 || isNaN(data74)){
const err214 = {instancePath:instancePath+"/spec/circuitBreaker/consecutiveFailures",schemaPath:"#/properties/spec/properties/circuitBreaker/properties/consecutiveFailures/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err214];
}
else {
vErrors.push(err214);
}
errors++;
}
}
let data75 = data73.cooldown;
if(typeof data75 === "string"){
if(func2(data75) > 32){
const err215 = {instancePath:instancePath+"/spec/circuitBreaker/cooldown",schemaPath:"#/properties/spec/properties/circuitBreaker/properties/cooldown/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err215];
}
else {
vErrors.push(err215);
}
errors++;
}
if(!pattern13.test(data75)){
const err216 = {instancePath:instancePath+"/spec/circuitBreaker/cooldown",schemaPath:"#/properties/spec/properties/circuitBreaker/properties/cooldown/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"+"\""};
if(vErrors === null){
vErrors = [err216];
}
else {
vErrors.push(err216);
}
errors++;
}
}
else {
const err217 = {instancePath:instancePath+"/spec/circuitBreaker/cooldown",schemaPath:"#/properties/spec/properties/circuitBreaker/properties/cooldown/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err217];
}
else {
vErrors.push(err217);
}
errors++;
}
}
else {
const err218 = {instancePath:instancePath+"/spec/circuitBreaker",schemaPath:"#/properties/spec/properties/circuitBreaker/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err218];
}
else {
vErrors.push(err218);
}
errors++;
}
let data76 = data10.limits;
if(data76 && typeof data76 == "object" && !Array.isArray(data76)){
if(data76.maxRequestBytes === undefined){
data76.maxRequestBytes = "10Mi";
}
if(data76.maxConcurrent === undefined){
data76.maxConcurrent = 1024;
}
for(const key21 in data76){
if(!((key21 === "maxRequestBytes") || (key21 === "maxConcurrent"))){
const err219 = {instancePath:instancePath+"/spec/limits",schemaPath:"#/properties/spec/properties/limits/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key21},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err219];
}
else {
vErrors.push(err219);
}
errors++;
}
}
let data77 = data76.maxRequestBytes;
if((!(((typeof data77 == "number") && (!(data77 % 1) && !isNaN(data77))) && (isFinite(data77)))) && (typeof data77 !== "string")){
const err220 = {instancePath:instancePath+"/spec/limits/maxRequestBytes",schemaPath:"#/properties/spec/properties/limits/properties/maxRequestBytes/type",keyword:"type",params:{type: schema11.properties.spec.properties.limits.properties.maxRequestBytes.type},message:"must be integer,string"};
if(vErrors === null){
vErrors = [err220];
}
else {
vErrors.push(err220);
}
errors++;
}
if((typeof data77 == "number") && (isFinite(data77))){
if(data77 < 1 || isNaN(data77)){
const err221 = {instancePath:instancePath+"/spec/limits/maxRequestBytes",schemaPath:"#/properties/spec/properties/limits/properties/maxRequestBytes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err221];
}
else {
vErrors.push(err221);
}
errors++;
}
}
if(typeof data77 === "string"){
if(func2(data77) > 32){
const err222 = {instancePath:instancePath+"/spec/limits/maxRequestBytes",schemaPath:"#/properties/spec/properties/limits/properties/maxRequestBytes/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err222];
}
else {
vErrors.push(err222);
}
errors++;
}
if(!pattern24.test(data77)){
const err223 = {instancePath:instancePath+"/spec/limits/maxRequestBytes",schemaPath:"#/properties/spec/properties/limits/properties/maxRequestBytes/pattern",keyword:"pattern",params:{pattern: "^([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)([KMGTPE]i|[kMGTPE]|[eE][0-9]+)?$"},message:"must match pattern \""+"^([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)([KMGTPE]i|[kMGTPE]|[eE][0-9]+)?$"+"\""};
if(vErrors === null){
vErrors = [err223];
}
else {
vErrors.push(err223);
}
errors++;
}
}
let data78 = data76.maxConcurrent;
if(!(((typeof data78 == "number") && (!(data78 % 1) && !isNaN(data78))) && (isFinite(data78)))){
const err224 = {instancePath:instancePath+"/spec/limits/maxConcurrent",schemaPath:"#/properties/spec/properties/limits/properties/maxConcurrent/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err224];
}
else {
vErrors.push(err224);
}
errors++;
}
if((typeof data78 == "number") && (isFinite(data78))){
if(data78 > 100000 || isNaN(data78)){
const err225 = {instancePath:instancePath+"/spec/limits/maxConcurrent",schemaPath:"#/properties/spec/properties/limits/properties/maxConcurrent/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100000},message:"must be <= 100000"};
if(vErrors === null){
vErrors = [err225];
}
else {
vErrors.push(err225);
}
errors++;
}
if(data78 < 1 || isNaN(data78)){
const err226 = {instancePath:instancePath+"/spec/limits/maxConcurrent",schemaPath:"#/properties/spec/properties/limits/properties/maxConcurrent/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err226];
}
else {
vErrors.push(err226);
}
errors++;
}
}
}
else {
const err227 = {instancePath:instancePath+"/spec/limits",schemaPath:"#/properties/spec/properties/limits/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err227];
}
else {
vErrors.push(err227);
}
errors++;
}
if(data10.cache !== undefined){
let data79 = data10.cache;
if(data79 && typeof data79 == "object" && !Array.isArray(data79)){
if(data79.ttl === undefined){
data79.ttl = "1h";
}
if(data79.maxEntries === undefined){
data79.maxEntries = 10000;
}
if(data79.maxBytes === undefined){
data79.maxBytes = "64Mi";
}
if(data79.maxEntryBytes === undefined){
data79.maxEntryBytes = "1Mi";
}
if(data79.backend === undefined){
data79.backend = "memory";
}
for(const key22 in data79){
if(!(((((((key22 === "ttl") || (key22 === "maxEntries")) || (key22 === "maxBytes")) || (key22 === "maxEntryBytes")) || (key22 === "maxTemperature")) || (key22 === "backend")) || (key22 === "redis"))){
const err228 = {instancePath:instancePath+"/spec/cache",schemaPath:"#/properties/spec/properties/cache/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key22},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err228];
}
else {
vErrors.push(err228);
}
errors++;
}
}
let data80 = data79.ttl;
if(typeof data80 === "string"){
if(func2(data80) > 32){
const err229 = {instancePath:instancePath+"/spec/cache/ttl",schemaPath:"#/properties/spec/properties/cache/properties/ttl/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err229];
}
else {
vErrors.push(err229);
}
errors++;
}
if(!pattern13.test(data80)){
const err230 = {instancePath:instancePath+"/spec/cache/ttl",schemaPath:"#/properties/spec/properties/cache/properties/ttl/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"+"\""};
if(vErrors === null){
vErrors = [err230];
}
else {
vErrors.push(err230);
}
errors++;
}
}
else {
const err231 = {instancePath:instancePath+"/spec/cache/ttl",schemaPath:"#/properties/spec/properties/cache/properties/ttl/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err231];
}
else {
vErrors.push(err231);
}
errors++;
}
let data81 = data79.maxEntries;
if(!(((typeof data81 == "number") && (!(data81 % 1) && !isNaN(data81))) && (isFinite(data81)))){
const err232 = {instancePath:instancePath+"/spec/cache/maxEntries",schemaPath:"#/properties/spec/properties/cache/properties/maxEntries/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err232];
}
else {
vErrors.push(err232);
}
errors++;
}
if((typeof data81 == "number") && (isFinite(data81))){
if(data81 > 1000000 || isNaN(data81)){
const err233 = {instancePath:instancePath+"/spec/cache/maxEntries",schemaPath:"#/properties/spec/properties/cache/properties/maxEntries/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000},message:"must be <= 1000000"};
if(vErrors === null){
vErrors = [err233];
}
else {
vErrors.push(err233);
}
errors++;
}
if(data81 < 1 || isNaN(data81)){
const err234 = {instancePath:instancePath+"/spec/cache/maxEntries",schemaPath:"#/properties/spec/properties/cache/properties/maxEntries/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err234];
}
else {
vErrors.push(err234);
}
errors++;
}
}
let data82 = data79.maxBytes;
if((!(((typeof data82 == "number") && (!(data82 % 1) && !isNaN(data82))) && (isFinite(data82)))) && (typeof data82 !== "string")){
const err235 = {instancePath:instancePath+"/spec/cache/maxBytes",schemaPath:"#/properties/spec/properties/cache/properties/maxBytes/type",keyword:"type",params:{type: schema11.properties.spec.properties.cache.properties.maxBytes.type},message:"must be integer,string"};
if(vErrors === null){
vErrors = [err235];
}
else {
vErrors.push(err235);
}
errors++;
}
if((typeof data82 == "number") && (isFinite(data82))){
if(data82 < 1 || isNaN(data82)){
const err236 = {instancePath:instancePath+"/spec/cache/maxBytes",schemaPath:"#/properties/spec/properties/cache/properties/maxBytes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err236];
}
else {
vErrors.push(err236);
}
errors++;
}
}
if(typeof data82 === "string"){
if(func2(data82) > 32){
const err237 = {instancePath:instancePath+"/spec/cache/maxBytes",schemaPath:"#/properties/spec/properties/cache/properties/maxBytes/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err237];
}
else {
vErrors.push(err237);
}
errors++;
}
if(!pattern24.test(data82)){
const err238 = {instancePath:instancePath+"/spec/cache/maxBytes",schemaPath:"#/properties/spec/properties/cache/properties/maxBytes/pattern",keyword:"pattern",params:{pattern: "^([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)([KMGTPE]i|[kMGTPE]|[eE][0-9]+)?$"},message:"must match pattern \""+"^([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)([KMGTPE]i|[kMGTPE]|[eE][0-9]+)?$"+"\""};
if(vErrors === null){
vErrors = [err238];
}
else {
vErrors.push(err238);
}
errors++;
}
}
let data83 = data79.maxEntryBytes;
if((!(((typeof data83 == "number") && (!(data83 % 1) && !isNaN(data83))) && (isFinite(data83)))) && (typeof data83 !== "string")){
const err239 = {instancePath:instancePath+"/spec/cache/maxEntryBytes",schemaPath:"#/properties/spec/properties/cache/properties/maxEntryBytes/type",keyword:"type",params:{type: schema11.properties.spec.properties.cache.properties.maxEntryBytes.type},message:"must be integer,string"};
if(vErrors === null){
vErrors = [err239];
}
else {
vErrors.push(err239);
}
errors++;
}
if((typeof data83 == "number") && (isFinite(data83))){
if(data83 < 1 || isNaN(data83)){
const err240 = {instancePath:instancePath+"/spec/cache/maxEntryBytes",schemaPath:"#/properties/spec/properties/cache/properties/maxEntryBytes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err240];
}
else {
vErrors.push(err240);
}
errors++;
}
}
if(typeof data83 === "string"){
if(func2(data83) > 32){
const err241 = {instancePath:instancePath+"/spec/cache/maxEntryBytes",schemaPath:"#/properties/spec/properties/cache/properties/maxEntryBytes/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err241];
}
else {
vErrors.push(err241);
}
errors++;
}
if(!pattern24.test(data83)){
const err242 = {instancePath:instancePath+"/spec/cache/maxEntryBytes",schemaPath:"#/properties/spec/properties/cache/properties/maxEntryBytes/pattern",keyword:"pattern",params:{pattern: "^([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)([KMGTPE]i|[kMGTPE]|[eE][0-9]+)?$"},message:"must match pattern \""+"^([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)([KMGTPE]i|[kMGTPE]|[eE][0-9]+)?$"+"\""};
if(vErrors === null){
vErrors = [err242];
}
else {
vErrors.push(err242);
}
errors++;
}
}
if(data79.maxTemperature !== undefined){
let data84 = data79.maxTemperature;
if((typeof data84 == "number") && (isFinite(data84))){
if(data84 > 2 || isNaN(data84)){
const err243 = {instancePath:instancePath+"/spec/cache/maxTemperature",schemaPath:"#/properties/spec/properties/cache/properties/maxTemperature/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2},message:"must be <= 2"};
if(vErrors === null){
vErrors = [err243];
}
else {
vErrors.push(err243);
}
errors++;
}
if(data84 < 0 || isNaN(data84)){
const err244 = {instancePath:instancePath+"/spec/cache/maxTemperature",schemaPath:"#/properties/spec/properties/cache/properties/maxTemperature/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err244];
}
else {
vErrors.push(err244);
}
errors++;
}
}
else {
const err245 = {instancePath:instancePath+"/spec/cache/maxTemperature",schemaPath:"#/properties/spec/properties/cache/properties/maxTemperature/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err245];
}
else {
vErrors.push(err245);
}
errors++;
}
}
let data85 = data79.backend;
if(typeof data85 !== "string"){
const err246 = {instancePath:instancePath+"/spec/cache/backend",schemaPath:"#/properties/spec/properties/cache/properties/backend/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err246];
}
else {
vErrors.push(err246);
}
errors++;
}
if(!((data85 === "memory") || (data85 === "redis"))){
const err247 = {instancePath:instancePath+"/spec/cache/backend",schemaPath:"#/properties/spec/properties/cache/properties/backend/enum",keyword:"enum",params:{allowedValues: schema11.properties.spec.properties.cache.properties.backend.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err247];
}
else {
vErrors.push(err247);
}
errors++;
}
if(data79.redis !== undefined){
let data86 = data79.redis;
if(data86 && typeof data86 == "object" && !Array.isArray(data86)){
if(data86.timeout === undefined){
data86.timeout = "50ms";
}
if(data86.keyPrefix === undefined){
data86.keyPrefix = "bellwether:cache:";
}
if(data86.maxInFlight === undefined){
data86.maxInFlight = 64;
}
if(data86.url === undefined){
const err248 = {instancePath:instancePath+"/spec/cache/redis",schemaPath:"#/properties/spec/properties/cache/properties/redis/required",keyword:"required",params:{missingProperty: "url"},message:"must have required property '"+"url"+"'"};
if(vErrors === null){
vErrors = [err248];
}
else {
vErrors.push(err248);
}
errors++;
}
for(const key23 in data86){
if(!(((((key23 === "url") || (key23 === "timeout")) || (key23 === "keyPrefix")) || (key23 === "passwordSecretRef")) || (key23 === "maxInFlight"))){
const err249 = {instancePath:instancePath+"/spec/cache/redis",schemaPath:"#/properties/spec/properties/cache/properties/redis/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key23},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err249];
}
else {
vErrors.push(err249);
}
errors++;
}
}
if(data86.url !== undefined){
let data87 = data86.url;
if(typeof data87 === "string"){
if(func2(data87) > 512){
const err250 = {instancePath:instancePath+"/spec/cache/redis/url",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/url/maxLength",keyword:"maxLength",params:{limit: 512},message:"must NOT have more than 512 characters"};
if(vErrors === null){
vErrors = [err250];
}
else {
vErrors.push(err250);
}
errors++;
}
if(!pattern28.test(data87)){
const err251 = {instancePath:instancePath+"/spec/cache/redis/url",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/url/pattern",keyword:"pattern",params:{pattern: "^rediss?://[^\\s/?#@]+(/[0-9]{1,2})?$"},message:"must match pattern \""+"^rediss?://[^\\s/?#@]+(/[0-9]{1,2})?$"+"\""};
if(vErrors === null){
vErrors = [err251];
}
else {
vErrors.push(err251);
}
errors++;
}
}
else {
const err252 = {instancePath:instancePath+"/spec/cache/redis/url",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err252];
}
else {
vErrors.push(err252);
}
errors++;
}
}
let data88 = data86.timeout;
if(typeof data88 === "string"){
if(func2(data88) > 32){
const err253 = {instancePath:instancePath+"/spec/cache/redis/timeout",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/timeout/maxLength",keyword:"maxLength",params:{limit: 32},message:"must NOT have more than 32 characters"};
if(vErrors === null){
vErrors = [err253];
}
else {
vErrors.push(err253);
}
errors++;
}
if(!pattern13.test(data88)){
const err254 = {instancePath:instancePath+"/spec/cache/redis/timeout",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/timeout/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"+"\""};
if(vErrors === null){
vErrors = [err254];
}
else {
vErrors.push(err254);
}
errors++;
}
}
else {
const err255 = {instancePath:instancePath+"/spec/cache/redis/timeout",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/timeout/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err255];
}
else {
vErrors.push(err255);
}
errors++;
}
let data89 = data86.keyPrefix;
if(typeof data89 === "string"){
if(func2(data89) > 128){
const err256 = {instancePath:instancePath+"/spec/cache/redis/keyPrefix",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/keyPrefix/maxLength",keyword:"maxLength",params:{limit: 128},message:"must NOT have more than 128 characters"};
if(vErrors === null){
vErrors = [err256];
}
else {
vErrors.push(err256);
}
errors++;
}
if(!pattern30.test(data89)){
const err257 = {instancePath:instancePath+"/spec/cache/redis/keyPrefix",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/keyPrefix/pattern",keyword:"pattern",params:{pattern: "^[-_.:/a-zA-Z0-9]*$"},message:"must match pattern \""+"^[-_.:/a-zA-Z0-9]*$"+"\""};
if(vErrors === null){
vErrors = [err257];
}
else {
vErrors.push(err257);
}
errors++;
}
}
else {
const err258 = {instancePath:instancePath+"/spec/cache/redis/keyPrefix",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/keyPrefix/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err258];
}
else {
vErrors.push(err258);
}
errors++;
}
if(data86.passwordSecretRef !== undefined){
let data90 = data86.passwordSecretRef;
if(data90 && typeof data90 == "object" && !Array.isArray(data90)){
if(data90.name === undefined){
const err259 = {instancePath:instancePath+"/spec/cache/redis/passwordSecretRef",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/passwordSecretRef/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'"};
if(vErrors === null){
vErrors = [err259];
}
else {
vErrors.push(err259);
}
errors++;
}
if(data90.key === undefined){
const err260 = {instancePath:instancePath+"/spec/cache/redis/passwordSecretRef",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/passwordSecretRef/required",keyword:"required",params:{missingProperty: "key"},message:"must have required property '"+"key"+"'"};
if(vErrors === null){
vErrors = [err260];
}
else {
vErrors.push(err260);
}
errors++;
}
for(const key24 in data90){
if(!((key24 === "name") || (key24 === "key"))){
const err261 = {instancePath:instancePath+"/spec/cache/redis/passwordSecretRef",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/passwordSecretRef/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key24},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err261];
}
else {
vErrors.push(err261);
}
errors++;
}
}
if(data90.name !== undefined){
let data91 = data90.name;
if(typeof data91 === "string"){
if(func2(data91) > 253){
const err262 = {instancePath:instancePath+"/spec/cache/redis/passwordSecretRef/name",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/passwordSecretRef/properties/name/maxLength",keyword:"maxLength",params:{limit: 253},message:"must NOT have more than 253 characters"};
if(vErrors === null){
vErrors = [err262];
}
else {
vErrors.push(err262);
}
errors++;
}
if(!pattern0.test(data91)){
const err263 = {instancePath:instancePath+"/spec/cache/redis/passwordSecretRef/name",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/passwordSecretRef/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"},message:"must match pattern \""+"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"+"\""};
if(vErrors === null){
vErrors = [err263];
}
else {
vErrors.push(err263);
}
errors++;
}
}
else {
const err264 = {instancePath:instancePath+"/spec/cache/redis/passwordSecretRef/name",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/passwordSecretRef/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err264];
}
else {
vErrors.push(err264);
}
errors++;
}
}
if(data90.key !== undefined){
let data92 = data90.key;
if(typeof data92 === "string"){
if(func2(data92) > 253){
const err265 = {instancePath:instancePath+"/spec/cache/redis/passwordSecretRef/key",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/passwordSecretRef/properties/key/maxLength",keyword:"maxLength",params:{limit: 253},message:"must NOT have more than 253 characters"};
if(vErrors === null){
vErrors = [err265];
}
else {
vErrors.push(err265);
}
errors++;
}
if(!pattern4.test(data92)){
const err266 = {instancePath:instancePath+"/spec/cache/redis/passwordSecretRef/key",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/passwordSecretRef/properties/key/pattern",keyword:"pattern",params:{pattern: "^[-._a-zA-Z0-9]+$"},message:"must match pattern \""+"^[-._a-zA-Z0-9]+$"+"\""};
if(vErrors === null){
vErrors = [err266];
}
else {
vErrors.push(err266);
}
errors++;
}
}
else {
const err267 = {instancePath:instancePath+"/spec/cache/redis/passwordSecretRef/key",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/passwordSecretRef/properties/key/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err267];
}
else {
vErrors.push(err267);
}
errors++;
}
}
}
else {
const err268 = {instancePath:instancePath+"/spec/cache/redis/passwordSecretRef",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/passwordSecretRef/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err268];
}
else {
vErrors.push(err268);
}
errors++;
}
}
let data93 = data86.maxInFlight;
if(!(((typeof data93 == "number") && (!(data93 % 1) && !isNaN(data93))) && (isFinite(data93)))){
const err269 = {instancePath:instancePath+"/spec/cache/redis/maxInFlight",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/maxInFlight/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err269];
}
else {
vErrors.push(err269);
}
errors++;
}
if((typeof data93 == "number") && (isFinite(data93))){
if(data93 > 10000 || isNaN(data93)){
const err270 = {instancePath:instancePath+"/spec/cache/redis/maxInFlight",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/maxInFlight/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10000},message:"must be <= 10000"};
if(vErrors === null){
vErrors = [err270];
}
else {
vErrors.push(err270);
}
errors++;
}
if(data93 < 1 || isNaN(data93)){
const err271 = {instancePath:instancePath+"/spec/cache/redis/maxInFlight",schemaPath:"#/properties/spec/properties/cache/properties/redis/properties/maxInFlight/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err271];
}
else {
vErrors.push(err271);
}
errors++;
}
}
}
else {
const err272 = {instancePath:instancePath+"/spec/cache/redis",schemaPath:"#/properties/spec/properties/cache/properties/redis/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err272];
}
else {
vErrors.push(err272);
}
errors++;
}
}
}
else {
const err273 = {instancePath:instancePath+"/spec/cache",schemaPath:"#/properties/spec/properties/cache/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err273];
}
else {
vErrors.push(err273);
}
errors++;
}
}
if(data10.shadow !== undefined){
let data94 = data10.shadow;
if(data94 && typeof data94 == "object" && !Array.isArray(data94)){
if(data94.weight === undefined){
data94.weight = 10;
}
if(data94.minSimilarity === undefined){
data94.minSimilarity = 0.8;
}
if(data94.maxConcurrent === undefined){
data94.maxConcurrent = 8;
}
if(data94.minPairs === undefined){
data94.minPairs = 100;
}
if(data94.minEquivalence === undefined){
data94.minEquivalence = 0.95;
}
for(const key25 in data94){
if(!(((((key25 === "weight") || (key25 === "minSimilarity")) || (key25 === "maxConcurrent")) || (key25 === "minPairs")) || (key25 === "minEquivalence"))){
const err274 = {instancePath:instancePath+"/spec/shadow",schemaPath:"#/properties/spec/properties/shadow/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key25},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err274];
}
else {
vErrors.push(err274);
}
errors++;
}
}
let data95 = data94.weight;
if(!(((typeof data95 == "number") && (!(data95 % 1) && !isNaN(data95))) && (isFinite(data95)))){
const err275 = {instancePath:instancePath+"/spec/shadow/weight",schemaPath:"#/properties/spec/properties/shadow/properties/weight/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err275];
}
else {
vErrors.push(err275);
}
errors++;
}
if((typeof data95 == "number") && (isFinite(data95))){
if(data95 > 100 || isNaN(data95)){
const err276 = {instancePath:instancePath+"/spec/shadow/weight",schemaPath:"#/properties/spec/properties/shadow/properties/weight/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};
if(vErrors === null){
vErrors = [err276];
}
else {
vErrors.push(err276);
}
errors++;
}
if(data95 < 0 || isNaN(data95)){
const err277 = {instancePath:instancePath+"/spec/shadow/weight",schemaPath:"#/properties/spec/properties/shadow/properties/weight/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err277];
}
else {
vErrors.push(err277);
}
errors++;
}
}
let data96 = data94.minSimilarity;
if((typeof data96 == "number") && (isFinite(data96))){
if(data96 > 1 || isNaN(data96)){
const err278 = {instancePath:instancePath+"/spec/shadow/minSimilarity",schemaPath:"#/properties/spec/properties/shadow/properties/minSimilarity/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1"};
if(vErrors === null){
vErrors = [err278];
}
else {
vErrors.push(err278);
}
errors++;
}
if(data96 < 0 || isNaN(data96)){
const err279 = {instancePath:instancePath+"/spec/shadow/minSimilarity",schemaPath:"#/properties/spec/properties/shadow/properties/minSimilarity/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err279];
}
else {
vErrors.push(err279);
}
errors++;
}
}
else {
const err280 = {instancePath:instancePath+"/spec/shadow/minSimilarity",schemaPath:"#/properties/spec/properties/shadow/properties/minSimilarity/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err280];
}
else {
vErrors.push(err280);
}
errors++;
}
let data97 = data94.maxConcurrent;
if(!(((typeof data97 == "number") && (!(data97 % 1) && !isNaN(data97))) && (isFinite(data97)))){
const err281 = {instancePath:instancePath+"/spec/shadow/maxConcurrent",schemaPath:"#/properties/spec/properties/shadow/properties/maxConcurrent/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err281];
}
else {
vErrors.push(err281);
}
errors++;
}
if((typeof data97 == "number") && (isFinite(data97))){
if(data97 > 64 || isNaN(data97)){
const err282 = {instancePath:instancePath+"/spec/shadow/maxConcurrent",schemaPath:"#/properties/spec/properties/shadow/properties/maxConcurrent/maximum",keyword:"maximum",params:{comparison: "<=", limit: 64},message:"must be <= 64"};
if(vErrors === null){
vErrors = [err282];
}
else {
vErrors.push(err282);
}
errors++;
}
if(data97 < 1 || isNaN(data97)){
const err283 = {instancePath:instancePath+"/spec/shadow/maxConcurrent",schemaPath:"#/properties/spec/properties/shadow/properties/maxConcurrent/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err283];
}
else {
vErrors.push(err283);
}
errors++;
}
}
let data98 = data94.minPairs;
if(!(((typeof data98 == "number") && (!(data98 % 1) && !isNaN(data98))) && (isFinite(data98)))){
const err284 = {instancePath:instancePath+"/spec/shadow/minPairs",schemaPath:"#/properties/spec/properties/shadow/properties/minPairs/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err284];
}
else {
vErrors.push(err284);
}
errors++;
}
if((typeof data98 == "number") && (isFinite(data98))){
if(data98 > 1000000 || isNaN(data98)){
const err285 = {instancePath:instancePath+"/spec/shadow/minPairs",schemaPath:"#/properties/spec/properties/shadow/properties/minPairs/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000},message:"must be <= 1000000"};
if(vErrors === null){
vErrors = [err285];
}
else {
vErrors.push(err285);
}
errors++;
}
if(data98 < 1 || isNaN(data98)){
const err286 = {instancePath:instancePath+"/spec/shadow/minPairs",schemaPath:"#/properties/spec/properties/shadow/properties/minPairs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err286];
}
else {
vErrors.push(err286);
}
errors++;
}
}
let data99 = data94.minEquivalence;
if((typeof data99 == "number") && (isFinite(data99))){
if(data99 > 1 || isNaN(data99)){
const err287 = {instancePath:instancePath+"/spec/shadow/minEquivalence",schemaPath:"#/properties/spec/properties/shadow/properties/minEquivalence/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1"};
if(vErrors === null){
vErrors = [err287];
}
else {
vErrors.push(err287);
}
errors++;
}
if(data99 < 0 || isNaN(data99)){
const err288 = {instancePath:instancePath+"/spec/shadow/minEquivalence",schemaPath:"#/properties/spec/properties/shadow/properties/minEquivalence/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err288];
}
else {
vErrors.push(err288);
}
errors++;
}
}
else {
const err289 = {instancePath:instancePath+"/spec/shadow/minEquivalence",schemaPath:"#/properties/spec/properties/shadow/properties/minEquivalence/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err289];
}
else {
vErrors.push(err289);
}
errors++;
}
}
else {
const err290 = {instancePath:instancePath+"/spec/shadow",schemaPath:"#/properties/spec/properties/shadow/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err290];
}
else {
vErrors.push(err290);
}
errors++;
}
}
if(data10.budget !== undefined){
let data100 = data10.budget;
if(data100 && typeof data100 == "object" && !Array.isArray(data100)){
if(data100.action === undefined){
data100.action = "alert";
}
for(const key26 in data100){
if(!(((key26 === "daily") || (key26 === "models")) || (key26 === "action"))){
const err291 = {instancePath:instancePath+"/spec/budget",schemaPath:"#/properties/spec/properties/budget/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key26},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err291];
}
else {
vErrors.push(err291);
}
errors++;
}
}
if(data100.daily !== undefined){
let data101 = data100.daily;
if((typeof data101 == "number") && (isFinite(data101))){
if(data101 > 1000000000 || isNaN(data101)){
const err292 = {instancePath:instancePath+"/spec/budget/daily",schemaPath:"#/properties/spec/properties/budget/properties/daily/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000000},message:"must be <= 1000000000"};
if(vErrors === null){
vErrors = [err292];
}
else {
vErrors.push(err292);
}
errors++;
}
if(data101 < 0.01 || isNaN(data101)){
const err293 = {instancePath:instancePath+"/spec/budget/daily",schemaPath:"#/properties/spec/properties/budget/properties/daily/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0.01},message:"must be >= 0.01"};
if(vErrors === null){
vErrors = [err293];
}
else {
vErrors.push(err293);
}
errors++;
}
}
else {
const err294 = {instancePath:instancePath+"/spec/budget/daily",schemaPath:"#/properties/spec/properties/budget/properties/daily/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err294];
}
else {
vErrors.push(err294);
}
errors++;
}
}
if(data100.models !== undefined){
let data102 = data100.models;
if(Array.isArray(data102)){
if(data102.length > 64){
const err295 = {instancePath:instancePath+"/spec/budget/models",schemaPath:"#/properties/spec/properties/budget/properties/models/maxItems",keyword:"maxItems",params:{limit: 64},message:"must NOT have more than 64 items"};
if(vErrors === null){
vErrors = [err295];
}
else {
vErrors.push(err295);
}
errors++;
}
const len8 = data102.length;
for(let i8=0; i8<len8; i8++){
let data103 = data102[i8];
if(data103 && typeof data103 == "object" && !Array.isArray(data103)){
if(data103.name === undefined){
const err296 = {instancePath:instancePath+"/spec/budget/models/" + i8,schemaPath:"#/properties/spec/properties/budget/properties/models/items/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'"};
if(vErrors === null){
vErrors = [err296];
}
else {
vErrors.push(err296);
}
errors++;
}
if(data103.daily === undefined){
const err297 = {instancePath:instancePath+"/spec/budget/models/" + i8,schemaPath:"#/properties/spec/properties/budget/properties/models/items/required",keyword:"required",params:{missingProperty: "daily"},message:"must have required property '"+"daily"+"'"};
if(vErrors === null){
vErrors = [err297];
}
else {
vErrors.push(err297);
}
errors++;
}
for(const key27 in data103){
if(!((key27 === "name") || (key27 === "daily"))){
const err298 = {instancePath:instancePath+"/spec/budget/models/" + i8,schemaPath:"#/properties/spec/properties/budget/properties/models/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key27},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err298];
}
else {
vErrors.push(err298);
}
errors++;
}
}
if(data103.name !== undefined){
let data104 = data103.name;
if(typeof data104 === "string"){
if(func2(data104) > 128){
const err299 = {instancePath:instancePath+"/spec/budget/models/" + i8+"/name",schemaPath:"#/properties/spec/properties/budget/properties/models/items/properties/name/maxLength",keyword:"maxLength",params:{limit: 128},message:"must NOT have more than 128 characters"};
if(vErrors === null){
vErrors = [err299];
}
else {
vErrors.push(err299);
}
errors++;
}
if(func2(data104) < 1){
const err300 = {instancePath:instancePath+"/spec/budget/models/" + i8+"/name",schemaPath:"#/properties/spec/properties/budget/properties/models/items/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err300];
}
else {
vErrors.push(err300);
}
errors++;
}
if(!pattern9.test(data104)){
const err301 = {instancePath:instancePath+"/spec/budget/models/" + i8+"/name",schemaPath:"#/properties/spec/properties/budget/properties/models/items/properties/name/pattern",keyword:"pattern",params:{pattern: "^[^\\s*]+$"},message:"must match pattern \""+"^[^\\s*]+$"+"\""};
if(vErrors === null){
vErrors = [err301];
}
else {
vErrors.push(err301);
}
errors++;
}
}
else {
const err302 = {instancePath:instancePath+"/spec/budget/models/" + i8+"/name",schemaPath:"#/properties/spec/properties/budget/properties/models/items/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err302];
}
else {
vErrors.push(err302);
}
errors++;
}
}
if(data103.daily !== undefined){
let data105 = data103.daily;
if((typeof data105 == "number") && (isFinite(data105))){
if(data105 > 1000000000 || isNaN(data105)){
const err303 = {instancePath:instancePath+"/spec/budget/models/" + i8+"/daily",schemaPath:"#/properties/spec/properties/budget/properties/models/items/properties/daily/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000000},message:"must be <= 1000000000"};
if(vErrors === null){
vErrors = [err303];
}
else {
vErrors.push(err303);
}
errors++;
}
if(data105 < 0.01 || isNaN(data105)){
const err304 = {instancePath:instancePath+"/spec/budget/models/" + i8+"/daily",schemaPath:"#/properties/spec/properties/budget/properties/models/items/properties/daily/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0.01},message:"must be >= 0.01"};
if(vErrors === null){
vErrors = [err304];
}
else {
vErrors.push(err304);
}
errors++;
}
}
else {
const err305 = {instancePath:instancePath+"/spec/budget/models/" + i8+"/daily",schemaPath:"#/properties/spec/properties/budget/properties/models/items/properties/daily/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err305];
}
else {
vErrors.push(err305);
}
errors++;
}
}
}
else {
const err306 = {instancePath:instancePath+"/spec/budget/models/" + i8,schemaPath:"#/properties/spec/properties/budget/properties/models/items/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err306];
}
else {
vErrors.push(err306);
}
errors++;
}
}
}
else {
const err307 = {instancePath:instancePath+"/spec/budget/models",schemaPath:"#/properties/spec/properties/budget/properties/models/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err307];
}
else {
vErrors.push(err307);
}
errors++;
}
}
let data106 = data100.action;
if(typeof data106 !== "string"){
const err308 = {instancePath:instancePath+"/spec/budget/action",schemaPath:"#/properties/spec/properties/budget/properties/action/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err308];
}
else {
vErrors.push(err308);
}
errors++;
}
if(!((data106 === "alert") || (data106 === "block"))){
const err309 = {instancePath:instancePath+"/spec/budget/action",schemaPath:"#/properties/spec/properties/budget/properties/action/enum",keyword:"enum",params:{allowedValues: schema11.properties.spec.properties.budget.properties.action.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err309];
}
else {
vErrors.push(err309);
}
errors++;
}
}
else {
const err310 = {instancePath:instancePath+"/spec/budget",schemaPath:"#/properties/spec/properties/budget/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err310];
}
else {
vErrors.push(err310);
}
errors++;
}
}
}
else {
const err311 = {instancePath:instancePath+"/spec",schemaPath:"#/properties/spec/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err311];
}
else {
vErrors.push(err311);
}
errors++;
}
}
if(data.status !== undefined){
let data107 = data.status;
if(data107 && typeof data107 == "object" && !Array.isArray(data107)){
for(const key28 in data107){
if(!(func4.call(schema11.properties.status.properties, key28))){
const err312 = {instancePath:instancePath+"/status",schemaPath:"#/properties/status/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key28},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err312];
}
else {
vErrors.push(err312);
}
errors++;
}
}
if(data107.observedGeneration !== undefined){
let data108 = data107.observedGeneration;
if(!(((typeof data108 == "number") && (!(data108 % 1) && !isNaN(data108))) && (isFinite(data108)))){
const err313 = {instancePath:instancePath+"/status/observedGeneration",schemaPath:"#/properties/status/properties/observedGeneration/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err313];
}
else {
vErrors.push(err313);
}
errors++;
}
if((typeof data108 == "number") && (isFinite(data108))){
if(data108 < 0 || isNaN(data108)){
const err314 = {instancePath:instancePath+"/status/observedGeneration",schemaPath:"#/properties/status/properties/observedGeneration/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err314];
}
else {
vErrors.push(err314);
}
errors++;
}
if(!(formats2.validate(data108))){
const err315 = {instancePath:instancePath+"/status/observedGeneration",schemaPath:"#/properties/status/properties/observedGeneration/format",keyword:"format",params:{format: "int64"},message:"must match format \""+"int64"+"\""};
if(vErrors === null){
vErrors = [err315];
}
else {
vErrors.push(err315);
}
errors++;
}
}
}
if(data107.phase !== undefined){
let data109 = data107.phase;
if(typeof data109 !== "string"){
const err316 = {instancePath:instancePath+"/status/phase",schemaPath:"#/properties/status/properties/phase/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err316];
}
else {
vErrors.push(err316);
}
errors++;
}
if(!((((((data109 === "Pending") || (data109 === "Shadowing")) || (data109 === "Progressing")) || (data109 === "Promoted")) || (data109 === "RolledBack")) || (data109 === "Invalid"))){
const err317 = {instancePath:instancePath+"/status/phase",schemaPath:"#/properties/status/properties/phase/enum",keyword:"enum",params:{allowedValues: schema11.properties.status.properties.phase.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err317];
}
else {
vErrors.push(err317);
}
errors++;
}
}
if(data107.desiredWeight !== undefined){
let data110 = data107.desiredWeight;
if(!(((typeof data110 == "number") && (!(data110 % 1) && !isNaN(data110))) && (isFinite(data110)))){
const err318 = {instancePath:instancePath+"/status/desiredWeight",schemaPath:"#/properties/status/properties/desiredWeight/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err318];
}
else {
vErrors.push(err318);
}
errors++;
}
if((typeof data110 == "number") && (isFinite(data110))){
if(data110 > 100 || isNaN(data110)){
const err319 = {instancePath:instancePath+"/status/desiredWeight",schemaPath:"#/properties/status/properties/desiredWeight/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};
if(vErrors === null){
vErrors = [err319];
}
else {
vErrors.push(err319);
}
errors++;
}
if(data110 < 0 || isNaN(data110)){
const err320 = {instancePath:instancePath+"/status/desiredWeight",schemaPath:"#/properties/status/properties/desiredWeight/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err320];
}
else {
vErrors.push(err320);
}
errors++;
}
}
}
if(data107.effectiveWeight !== undefined){
let data111 = data107.effectiveWeight;
if(!(((typeof data111 == "number") && (!(data111 % 1) && !isNaN(data111))) && (isFinite(data111)))){
const err321 = {instancePath:instancePath+"/status/effectiveWeight",schemaPath:"#/properties/status/properties/effectiveWeight/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err321];
}
else {
vErrors.push(err321);
}
errors++;
}
if((typeof data111 == "number") && (isFinite(data111))){
if(data111 > 100 || isNaN(data111)){
const err322 = {instancePath:instancePath+"/status/effectiveWeight",schemaPath:"#/properties/status/properties/effectiveWeight/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};
if(vErrors === null){
vErrors = [err322];
}
else {
vErrors.push(err322);
}
errors++;
}
if(data111 < 0 || isNaN(data111)){
const err323 = {instancePath:instancePath+"/status/effectiveWeight",schemaPath:"#/properties/status/properties/effectiveWeight/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err323];
}
else {
vErrors.push(err323);
}
errors++;
}
}
}
if(data107.pods !== undefined){
let data112 = data107.pods;
if(data112 && typeof data112 == "object" && !Array.isArray(data112)){
for(const key29 in data112){
if(!(((key29 === "selected") || (key29 === "injected")) || (key29 === "reporting"))){
const err324 = {instancePath:instancePath+"/status/pods",schemaPath:"#/properties/status/properties/pods/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key29},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err324];
}
else {
vErrors.push(err324);
}
errors++;
}
}
if(data112.selected !== undefined){
let data113 = data112.selected;
if(!(((typeof data113 == "number") && (!(data113 % 1) && !isNaN(data113))) && (isFinite(data113)))){
const err325 = {instancePath:instancePath+"/status/pods/selected",schemaPath:"#/properties/status/properties/pods/properties/selected/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err325];
}
else {
vErrors.push(err325);
}
errors++;
}
if((typeof data113 == "number") && (isFinite(data113))){
if(data113 < 0 || isNaN(data113)){
const err326 = {instancePath:instancePath+"/status/pods/selected",schemaPath:"#/properties/status/properties/pods/properties/selected/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err326];
}
else {
vErrors.push(err326);
}
errors++;
}
}
}
if(data112.injected !== undefined){
let data114 = data112.injected;
if(!(((typeof data114 == "number") && (!(data114 % 1) && !isNaN(data114))) && (isFinite(data114)))){
const err327 = {instancePath:instancePath+"/status/pods/injected",schemaPath:"#/properties/status/properties/pods/properties/injected/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err327];
}
else {
vErrors.push(err327);
}
errors++;
}
if((typeof data114 == "number") && (isFinite(data114))){
if(data114 < 0 || isNaN(data114)){
const err328 = {instancePath:instancePath+"/status/pods/injected",schemaPath:"#/properties/status/properties/pods/properties/injected/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err328];
}
else {
vErrors.push(err328);
}
errors++;
}
}
}
if(data112.reporting !== undefined){
let data115 = data112.reporting;
if(!(((typeof data115 == "number") && (!(data115 % 1) && !isNaN(data115))) && (isFinite(data115)))){
const err329 = {instancePath:instancePath+"/status/pods/reporting",schemaPath:"#/properties/status/properties/pods/properties/reporting/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err329];
}
else {
vErrors.push(err329);
}
errors++;
}
if((typeof data115 == "number") && (isFinite(data115))){
if(data115 < 0 || isNaN(data115)){
const err330 = {instancePath:instancePath+"/status/pods/reporting",schemaPath:"#/properties/status/properties/pods/properties/reporting/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err330];
}
else {
vErrors.push(err330);
}
errors++;
}
}
}
}
else {
const err331 = {instancePath:instancePath+"/status/pods",schemaPath:"#/properties/status/properties/pods/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err331];
}
else {
vErrors.push(err331);
}
errors++;
}
}
if(data107.sides !== undefined){
let data116 = data107.sides;
if(data116 && typeof data116 == "object" && !Array.isArray(data116)){
for(const key30 in data116){
if(!((key30 === "relay") || (key30 === "official"))){
const err332 = {instancePath:instancePath+"/status/sides",schemaPath:"#/properties/status/properties/sides/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key30},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err332];
}
else {
vErrors.push(err332);
}
errors++;
}
}
if(data116.relay !== undefined){
let data117 = data116.relay;
if(data117 && typeof data117 == "object" && !Array.isArray(data117)){
for(const key31 in data117){
if(!((((key31 === "requests") || (key31 === "errorRate")) || (key31 === "p99LatencyMs")) || (key31 === "p99BeyondMs"))){
const err333 = {instancePath:instancePath+"/status/sides/relay",schemaPath:"#/properties/status/properties/sides/properties/relay/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key31},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err333];
}
else {
vErrors.push(err333);
}
errors++;
}
}
if(data117.requests !== undefined){
let data118 = data117.requests;
if(!(((typeof data118 == "number") && (!(data118 % 1) && !isNaN(data118))) && (isFinite(data118)))){
const err334 = {instancePath:instancePath+"/status/sides/relay/requests",schemaPath:"#/properties/status/properties/sides/properties/relay/properties/requests/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err334];
}
else {
vErrors.push(err334);
}
errors++;
}
if((typeof data118 == "number") && (isFinite(data118))){
if(data118 < 0 || isNaN(data118)){
const err335 = {instancePath:instancePath+"/status/sides/relay/requests",schemaPath:"#/properties/status/properties/sides/properties/relay/properties/requests/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err335];
}
else {
vErrors.push(err335);
}
errors++;
}
}
}
if(data117.errorRate !== undefined){
let data119 = data117.errorRate;
if((typeof data119 == "number") && (isFinite(data119))){
if(data119 > 1 || isNaN(data119)){
const err336 = {instancePath:instancePath+"/status/sides/relay/errorRate",schemaPath:"#/properties/status/properties/sides/properties/relay/properties/errorRate/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1"};
if(vErrors === null){
vErrors = [err336];
}
else {
vErrors.push(err336);
}
errors++;
}
if(data119 < 0 || isNaN(data119)){
const err337 = {instancePath:instancePath+"/status/sides/relay/errorRate",schemaPath:"#/properties/status/properties/sides/properties/relay/properties/errorRate/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err337];
}
else {
vErrors.push(err337);
}
errors++;
}
}
else {
const err338 = {instancePath:instancePath+"/status/sides/relay/errorRate",schemaPath:"#/properties/status/properties/sides/properties/relay/properties/errorRate/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err338];
}
else {
vErrors.push(err338);
}
errors++;
}
}
if(data117.p99LatencyMs !== undefined){
let data120 = data117.p99LatencyMs;
if((typeof data120 == "number") && (isFinite(data120))){
if(data120 < 0 || isNaN(data120)){
const err339 = {instancePath:instancePath+"/status/sides/relay/p99LatencyMs",schemaPath:"#/properties/status/properties/sides/properties/relay/properties/p99LatencyMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err339];
}
else {
vErrors.push(err339);
}
errors++;
}
}
else {
const err340 = {instancePath:instancePath+"/status/sides/relay/p99LatencyMs",schemaPath:"#/properties/status/properties/sides/properties/relay/properties/p99LatencyMs/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err340];
}
else {
vErrors.push(err340);
}
errors++;
}
}
if(data117.p99BeyondMs !== undefined){
let data121 = data117.p99BeyondMs;
if((typeof data121 == "number") && (isFinite(data121))){
if(data121 < 0 || isNaN(data121)){
const err341 = {instancePath:instancePath+"/status/sides/relay/p99BeyondMs",schemaPath:"#/properties/status/properties/sides/properties/relay/properties/p99BeyondMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err341];
}
else {
vErrors.push(err341);
}
errors++;
}
}
else {
const err342 = {instancePath:instancePath+"/status/sides/relay/p99BeyondMs",schemaPath:"#/properties/status/properties/sides/properties/relay/properties/p99BeyondMs/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err342];
}
else {
vErrors.push(err342);
}
errors++;
}
}
}
else {
const err343 = {instancePath:instancePath+"/status/sides/relay",schemaPath:"#/properties/status/properties/sides/properties/relay/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err343];
}
else {
vErrors.push(err343);
}
errors++;
}
}
if(data116.official !== undefined){
let data122 = data116.official;
if(data122 && typeof data122 == "object" && !Array.isArray(data122)){
for(const key32 in data122){
if(!((((key32 === "requests") || (key32 === "errorRate")) || (key32 === "p99LatencyMs")) || (key32 === "p99BeyondMs"))){
const err344 = {instancePath:instancePath+"/status/sides/official",schemaPath:"#/properties/status/properties/sides/properties/official/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key32},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err344];
}
else {
vErrors.push(err344);
}
errors++;
}
}
if(data122.requests !== undefined){
let data123 = data122.requests;
if(!(((typeof data123 == "number") && (!(data123 % 1) && !isNaN(data123))) && (isFinite(data123)))){
const err345 = {instancePath:instancePath+"/status/sides/official/requests",schemaPath:"#/properties/status/properties/sides/properties/official/properties/requests/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err345];
}
else {
vErrors.push(err345);
}
errors++;
}
if((typeof data123 == "number") && (isFinite(data123))){
if(data123 < 0 || isNaN(data123)){
const err346 = {instancePath:instancePath+"/status/sides/official/requests",schemaPath:"#/properties/status/properties/sides/properties/official/properties/requests/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err346];
}
else {
vErrors.push(err346);
}
errors++;
}
}
}
if(data122.errorRate !== undefined){
let data124 = data122.errorRate;
if((typeof data124 == "number") && (isFinite(data124))){
if(data124 > 1 || isNaN(data124)){
const err347 = {instancePath:instancePath+"/status/sides/official/errorRate",schemaPath:"#/properties/status/properties/sides/properties/official/properties/errorRate/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1"};
if(vErrors === null){
vErrors = [err347];
}
else {
vErrors.push(err347);
}
errors++;
}
if(data124 < 0 || isNaN(data124)){
const err348 = {instancePath:instancePath+"/status/sides/official/errorRate",schemaPath:"#/properties/status/properties/sides/properties/official/properties/errorRate/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err348];
}
else {
vErrors.push(err348);
}
errors++;
}
}
else {
const err349 = {instancePath:instancePath+"/status/sides/official/errorRate",schemaPath:"#/properties/status/properties/sides/properties/official/properties/errorRate/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err349];
}
else {
vErrors.push(err349);
}
errors++;
}
}
if(data122.p99LatencyMs !== undefined){
let data125 = data122.p99LatencyMs;
if((typeof data125 == "number") && (isFinite(data125))){
if(data125 < 0 || isNaN(data125)){
const err350 = {instancePath:instancePath+"/status/sides/official/p99LatencyMs",schemaPath:"#/properties/status/properties/sides/properties/official/properties/p99LatencyMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err350];
}
else {
vErrors.push(err350);
}
errors++;
}
}
else {
const err351 = {instancePath:instancePath+"/status/sides/official/p99LatencyMs",schemaPath:"#/properties/status/properties/sides/properties/official/properties/p99LatencyMs/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err351];
}
else {
vErrors.push(err351);
}
errors++;
}
}
if(data122.p99BeyondMs !== undefined){
let data126 = data122.p99BeyondMs;
if((typeof data126 == "number") && (isFinite(data126))){
if(data126 < 0 || isNaN(data126)){
const err352 = {instancePath:instancePath+"/status/sides/official/p99BeyondMs",schemaPath:"#/properties/status/properties/sides/properties/official/properties/p99BeyondMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err352];
}
else {
vErrors.push(err352);
}
errors++;
}
}
else {
const err353 = {instancePath:instancePath+"/status/sides/official/p99BeyondMs",schemaPath:"#/properties/status/properties/sides/properties/official/properties/p99BeyondMs/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err353];
}
else {
vErrors.push(err353);
}
errors++;
}
}
}
else {
const err354 = {instancePath:instancePath+"/status/sides/official",schemaPath:"#/properties/status/properties/sides/properties/official/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err354];
}
else {
vErrors.push(err354);
}
errors++;
}
}
}
else {
const err355 = {instancePath:instancePath+"/status/sides",schemaPath:"#/properties/status/properties/sides/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err355];
}
else {
vErrors.push(err355);
}
errors++;
}
}
if(data107.breakers !== undefined){
let data127 = data107.breakers;
if(Array.isArray(data127)){
if(data127.length > 256){
const err356 = {instancePath:instancePath+"/status/breakers",schemaPath:"#/properties/status/properties/breakers/maxItems",keyword:"maxItems",params:{limit: 256},message:"must NOT have more than 256 items"};
if(vErrors === null){
vErrors = [err356];
}
else {
vErrors.push(err356);
}
errors++;
}
const len9 = data127.length;
for(let i9=0; i9<len9; i9++){
let data128 = data127[i9];
if(data128 && typeof data128 == "object" && !Array.isArray(data128)){
if(data128.model === undefined){
const err357 = {instancePath:instancePath+"/status/breakers/" + i9,schemaPath:"#/properties/status/properties/breakers/items/required",keyword:"required",params:{missingProperty: "model"},message:"must have required property '"+"model"+"'"};
if(vErrors === null){
vErrors = [err357];
}
else {
vErrors.push(err357);
}
errors++;
}
if(data128.openPods === undefined){
const err358 = {instancePath:instancePath+"/status/breakers/" + i9,schemaPath:"#/properties/status/properties/breakers/items/required",keyword:"required",params:{missingProperty: "openPods"},message:"must have required property '"+"openPods"+"'"};
if(vErrors === null){
vErrors = [err358];
}
else {
vErrors.push(err358);
}
errors++;
}
for(const key33 in data128){
if(!((key33 === "model") || (key33 === "openPods"))){
const err359 = {instancePath:instancePath+"/status/breakers/" + i9,schemaPath:"#/properties/status/properties/breakers/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key33},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err359];
}
else {
vErrors.push(err359);
}
errors++;
}
}
if(data128.model !== undefined){
let data129 = data128.model;
if(typeof data129 === "string"){
if(func2(data129) > 128){
const err360 = {instancePath:instancePath+"/status/breakers/" + i9+"/model",schemaPath:"#/properties/status/properties/breakers/items/properties/model/maxLength",keyword:"maxLength",params:{limit: 128},message:"must NOT have more than 128 characters"};
if(vErrors === null){
vErrors = [err360];
}
else {
vErrors.push(err360);
}
errors++;
}
}
else {
const err361 = {instancePath:instancePath+"/status/breakers/" + i9+"/model",schemaPath:"#/properties/status/properties/breakers/items/properties/model/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err361];
}
else {
vErrors.push(err361);
}
errors++;
}
}
if(data128.openPods !== undefined){
let data130 = data128.openPods;
if(!(((typeof data130 == "number") && (!(data130 % 1) && !isNaN(data130))) && (isFinite(data130)))){
const err362 = {instancePath:instancePath+"/status/breakers/" + i9+"/openPods",schemaPath:"#/properties/status/properties/breakers/items/properties/openPods/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err362];
}
else {
vErrors.push(err362);
}
errors++;
}
if((typeof data130 == "number") && (isFinite(data130))){
if(data130 < 0 || isNaN(data130)){
const err363 = {instancePath:instancePath+"/status/breakers/" + i9+"/openPods",schemaPath:"#/properties/status/properties/breakers/items/properties/openPods/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err363];
}
else {
vErrors.push(err363);
}
errors++;
}
}
}
}
else {
const err364 = {instancePath:instancePath+"/status/breakers/" + i9,schemaPath:"#/properties/status/properties/breakers/items/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err364];
}
else {
vErrors.push(err364);
}
errors++;
}
}
}
else {
const err365 = {instancePath:instancePath+"/status/breakers",schemaPath:"#/properties/status/properties/breakers/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err365];
}
else {
vErrors.push(err365);
}
errors++;
}
}
if(data107.costUSD !== undefined){
let data131 = data107.costUSD;
if((typeof data131 == "number") && (isFinite(data131))){
if(data131 < 0 || isNaN(data131)){
const err366 = {instancePath:instancePath+"/status/costUSD",schemaPath:"#/properties/status/properties/costUSD/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err366];
}
else {
vErrors.push(err366);
}
errors++;
}
}
else {
const err367 = {instancePath:instancePath+"/status/costUSD",schemaPath:"#/properties/status/properties/costUSD/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err367];
}
else {
vErrors.push(err367);
}
errors++;
}
}
if(data107.savingsUSD !== undefined){
let data132 = data107.savingsUSD;
if(!((typeof data132 == "number") && (isFinite(data132)))){
const err368 = {instancePath:instancePath+"/status/savingsUSD",schemaPath:"#/properties/status/properties/savingsUSD/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err368];
}
else {
vErrors.push(err368);
}
errors++;
}
}
if(data107.cache !== undefined){
let data133 = data107.cache;
if(data133 && typeof data133 == "object" && !Array.isArray(data133)){
for(const key34 in data133){
if(!((((((key34 === "hits") || (key34 === "misses")) || (key34 === "bypasses")) || (key34 === "errors")) || (key34 === "hitRate")) || (key34 === "savingsUSD"))){
const err369 = {instancePath:instancePath+"/status/cache",schemaPath:"#/properties/status/properties/cache/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key34},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err369];
}
else {
vErrors.push(err369);
}
errors++;
}
}
if(data133.hits !== undefined){
let data134 = data133.hits;
if(!(((typeof data134 == "number") && (!(data134 % 1) && !isNaN(data134))) && (isFinite(data134)))){
const err370 = {instancePath:instancePath+"/status/cache/hits",schemaPath:"#/properties/status/properties/cache/properties/hits/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err370];
}
else {
vErrors.push(err370);
}
errors++;
}
if((typeof data134 == "number") && (isFinite(data134))){
if(data134 < 0 || isNaN(data134)){
const err371 = {instancePath:instancePath+"/status/cache/hits",schemaPath:"#/properties/status/properties/cache/properties/hits/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err371];
}
else {
vErrors.push(err371);
}
errors++;
}
}
}
if(data133.misses !== undefined){
let data135 = data133.misses;
if(!(((typeof data135 == "number") && (!(data135 % 1) && !isNaN(data135))) && (isFinite(data135)))){
const err372 = {instancePath:instancePath+"/status/cache/misses",schemaPath:"#/properties/status/properties/cache/properties/misses/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err372];
}
else {
vErrors.push(err372);
}
errors++;
}
if((typeof data135 == "number") && (isFinite(data135))){
if(data135 < 0 || isNaN(data135)){
const err373 = {instancePath:instancePath+"/status/cache/misses",schemaPath:"#/properties/status/properties/cache/properties/misses/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err373];
}
else {
vErrors.push(err373);
}
errors++;
}
}
}
if(data133.bypasses !== undefined){
let data136 = data133.bypasses;
if(!(((typeof data136 == "number") && (!(data136 % 1) && !isNaN(data136))) && (isFinite(data136)))){
const err374 = {instancePath:instancePath+"/status/cache/bypasses",schemaPath:"#/properties/status/properties/cache/properties/bypasses/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err374];
}
else {
vErrors.push(err374);
}
errors++;
}
if((typeof data136 == "number") && (isFinite(data136))){
if(data136 < 0 || isNaN(data136)){
const err375 = {instancePath:instancePath+"/status/cache/bypasses",schemaPath:"#/properties/status/properties/cache/properties/bypasses/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err375];
}
else {
vErrors.push(err375);
}
errors++;
}
}
}
if(data133.errors !== undefined){
let data137 = data133.errors;
if(!(((typeof data137 == "number") && (!(data137 % 1) && !isNaN(data137))) && (isFinite(data137)))){
const err376 = {instancePath:instancePath+"/status/cache/errors",schemaPath:"#/properties/status/properties/cache/properties/errors/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err376];
}
else {
vErrors.push(err376);
}
errors++;
}
if((typeof data137 == "number") && (isFinite(data137))){
if(data137 < 0 || isNaN(data137)){
const err377 = {instancePath:instancePath+"/status/cache/errors",schemaPath:"#/properties/status/properties/cache/properties/errors/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err377];
}
else {
vErrors.push(err377);
}
errors++;
}
}
}
if(data133.hitRate !== undefined){
let data138 = data133.hitRate;
if((typeof data138 == "number") && (isFinite(data138))){
if(data138 > 1 || isNaN(data138)){
const err378 = {instancePath:instancePath+"/status/cache/hitRate",schemaPath:"#/properties/status/properties/cache/properties/hitRate/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1"};
if(vErrors === null){
vErrors = [err378];
}
else {
vErrors.push(err378);
}
errors++;
}
if(data138 < 0 || isNaN(data138)){
const err379 = {instancePath:instancePath+"/status/cache/hitRate",schemaPath:"#/properties/status/properties/cache/properties/hitRate/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err379];
}
else {
vErrors.push(err379);
}
errors++;
}
}
else {
const err380 = {instancePath:instancePath+"/status/cache/hitRate",schemaPath:"#/properties/status/properties/cache/properties/hitRate/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err380];
}
else {
vErrors.push(err380);
}
errors++;
}
}
if(data133.savingsUSD !== undefined){
let data139 = data133.savingsUSD;
if(!((typeof data139 == "number") && (isFinite(data139)))){
const err381 = {instancePath:instancePath+"/status/cache/savingsUSD",schemaPath:"#/properties/status/properties/cache/properties/savingsUSD/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err381];
}
else {
vErrors.push(err381);
}
errors++;
}
}
}
else {
const err382 = {instancePath:instancePath+"/status/cache",schemaPath:"#/properties/status/properties/cache/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err382];
}
else {
vErrors.push(err382);
}
errors++;
}
}
if(data107.shadow !== undefined){
let data140 = data107.shadow;
if(data140 && typeof data140 == "object" && !Array.isArray(data140)){
for(const key35 in data140){
if(!((((((key35 === "pairs") || (key35 === "equivalence")) || (key35 === "relayErrorRate")) || (key35 === "relayP99LatencyMs")) || (key35 === "relayP99BeyondMs")) || (key35 === "costUSD"))){
const err383 = {instancePath:instancePath+"/status/shadow",schemaPath:"#/properties/status/properties/shadow/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key35},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err383];
}
else {
vErrors.push(err383);
}
errors++;
}
}
if(data140.pairs !== undefined){
let data141 = data140.pairs;
if(!(((typeof data141 == "number") && (!(data141 % 1) && !isNaN(data141))) && (isFinite(data141)))){
const err384 = {instancePath:instancePath+"/status/shadow/pairs",schemaPath:"#/properties/status/properties/shadow/properties/pairs/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err384];
}
else {
vErrors.push(err384);
}
errors++;
}
if((typeof data141 == "number") && (isFinite(data141))){
if(data141 < 0 || isNaN(data141)){
const err385 = {instancePath:instancePath+"/status/shadow/pairs",schemaPath:"#/properties/status/properties/shadow/properties/pairs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err385];
}
else {
vErrors.push(err385);
}
errors++;
}
}
}
if(data140.equivalence !== undefined){
let data142 = data140.equivalence;
if((typeof data142 == "number") && (isFinite(data142))){
if(data142 > 1 || isNaN(data142)){
const err386 = {instancePath:instancePath+"/status/shadow/equivalence",schemaPath:"#/properties/status/properties/shadow/properties/equivalence/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1"};
if(vErrors === null){
vErrors = [err386];
}
else {
vErrors.push(err386);
}
errors++;
}
if(data142 < 0 || isNaN(data142)){
const err387 = {instancePath:instancePath+"/status/shadow/equivalence",schemaPath:"#/properties/status/properties/shadow/properties/equivalence/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err387];
}
else {
vErrors.push(err387);
}
errors++;
}
}
else {
const err388 = {instancePath:instancePath+"/status/shadow/equivalence",schemaPath:"#/properties/status/properties/shadow/properties/equivalence/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err388];
}
else {
vErrors.push(err388);
}
errors++;
}
}
if(data140.relayErrorRate !== undefined){
let data143 = data140.relayErrorRate;
if((typeof data143 == "number") && (isFinite(data143))){
if(data143 > 1 || isNaN(data143)){
const err389 = {instancePath:instancePath+"/status/shadow/relayErrorRate",schemaPath:"#/properties/status/properties/shadow/properties/relayErrorRate/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1"};
if(vErrors === null){
vErrors = [err389];
}
else {
vErrors.push(err389);
}
errors++;
}
if(data143 < 0 || isNaN(data143)){
const err390 = {instancePath:instancePath+"/status/shadow/relayErrorRate",schemaPath:"#/properties/status/properties/shadow/properties/relayErrorRate/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err390];
}
else {
vErrors.push(err390);
}
errors++;
}
}
else {
const err391 = {instancePath:instancePath+"/status/shadow/relayErrorRate",schemaPath:"#/properties/status/properties/shadow/properties/relayErrorRate/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err391];
}
else {
vErrors.push(err391);
}
errors++;
}
}
if(data140.relayP99LatencyMs !== undefined){
let data144 = data140.relayP99LatencyMs;
if((typeof data144 == "number") && (isFinite(data144))){
if(data144 < 0 || isNaN(data144)){
const err392 = {instancePath:instancePath+"/status/shadow/relayP99LatencyMs",schemaPath:"#/properties/status/properties/shadow/properties/relayP99LatencyMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err392];
}
else {
vErrors.push(err392);
}
errors++;
}
}
else {
const err393 = {instancePath:instancePath+"/status/shadow/relayP99LatencyMs",schemaPath:"#/properties/status/properties/shadow/properties/relayP99LatencyMs/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err393];
}
else {
vErrors.push(err393);
}
errors++;
}
}
if(data140.relayP99BeyondMs !== undefined){
let data145 = data140.relayP99BeyondMs;
if((typeof data145 == "number") && (isFinite(data145))){
if(data145 < 0 || isNaN(data145)){
const err394 = {instancePath:instancePath+"/status/shadow/relayP99BeyondMs",schemaPath:"#/properties/status/properties/shadow/properties/relayP99BeyondMs/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err394];
}
else {
vErrors.push(err394);
}
errors++;
}
}
else {
const err395 = {instancePath:instancePath+"/status/shadow/relayP99BeyondMs",schemaPath:"#/properties/status/properties/shadow/properties/relayP99BeyondMs/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err395];
}
else {
vErrors.push(err395);
}
errors++;
}
}
if(data140.costUSD !== undefined){
let data146 = data140.costUSD;
if((typeof data146 == "number") && (isFinite(data146))){
if(data146 < 0 || isNaN(data146)){
const err396 = {instancePath:instancePath+"/status/shadow/costUSD",schemaPath:"#/properties/status/properties/shadow/properties/costUSD/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err396];
}
else {
vErrors.push(err396);
}
errors++;
}
}
else {
const err397 = {instancePath:instancePath+"/status/shadow/costUSD",schemaPath:"#/properties/status/properties/shadow/properties/costUSD/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err397];
}
else {
vErrors.push(err397);
}
errors++;
}
}
}
else {
const err398 = {instancePath:instancePath+"/status/shadow",schemaPath:"#/properties/status/properties/shadow/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err398];
}
else {
vErrors.push(err398);
}
errors++;
}
}
if(data107.budget !== undefined){
let data147 = data107.budget;
if(data147 && typeof data147 == "object" && !Array.isArray(data147)){
for(const key36 in data147){
if(!(((((key36 === "day") || (key36 === "spentTodayUSD")) || (key36 === "dailyUSD")) || (key36 === "exhausted")) || (key36 === "models"))){
const err399 = {instancePath:instancePath+"/status/budget",schemaPath:"#/properties/status/properties/budget/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key36},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err399];
}
else {
vErrors.push(err399);
}
errors++;
}
}
if(data147.day !== undefined){
let data148 = data147.day;
if(typeof data148 === "string"){
if(func2(data148) > 10){
const err400 = {instancePath:instancePath+"/status/budget/day",schemaPath:"#/properties/status/properties/budget/properties/day/maxLength",keyword:"maxLength",params:{limit: 10},message:"must NOT have more than 10 characters"};
if(vErrors === null){
vErrors = [err400];
}
else {
vErrors.push(err400);
}
errors++;
}
}
else {
const err401 = {instancePath:instancePath+"/status/budget/day",schemaPath:"#/properties/status/properties/budget/properties/day/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err401];
}
else {
vErrors.push(err401);
}
errors++;
}
}
if(data147.spentTodayUSD !== undefined){
let data149 = data147.spentTodayUSD;
if((typeof data149 == "number") && (isFinite(data149))){
if(data149 < 0 || isNaN(data149)){
const err402 = {instancePath:instancePath+"/status/budget/spentTodayUSD",schemaPath:"#/properties/status/properties/budget/properties/spentTodayUSD/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err402];
}
else {
vErrors.push(err402);
}
errors++;
}
}
else {
const err403 = {instancePath:instancePath+"/status/budget/spentTodayUSD",schemaPath:"#/properties/status/properties/budget/properties/spentTodayUSD/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err403];
}
else {
vErrors.push(err403);
}
errors++;
}
}
if(data147.dailyUSD !== undefined){
let data150 = data147.dailyUSD;
if((typeof data150 == "number") && (isFinite(data150))){
if(data150 < 0 || isNaN(data150)){
const err404 = {instancePath:instancePath+"/status/budget/dailyUSD",schemaPath:"#/properties/status/properties/budget/properties/dailyUSD/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err404];
}
else {
vErrors.push(err404);
}
errors++;
}
}
else {
const err405 = {instancePath:instancePath+"/status/budget/dailyUSD",schemaPath:"#/properties/status/properties/budget/properties/dailyUSD/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err405];
}
else {
vErrors.push(err405);
}
errors++;
}
}
if(data147.exhausted !== undefined){
if(typeof data147.exhausted !== "boolean"){
const err406 = {instancePath:instancePath+"/status/budget/exhausted",schemaPath:"#/properties/status/properties/budget/properties/exhausted/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err406];
}
else {
vErrors.push(err406);
}
errors++;
}
}
if(data147.models !== undefined){
let data152 = data147.models;
if(Array.isArray(data152)){
if(data152.length > 64){
const err407 = {instancePath:instancePath+"/status/budget/models",schemaPath:"#/properties/status/properties/budget/properties/models/maxItems",keyword:"maxItems",params:{limit: 64},message:"must NOT have more than 64 items"};
if(vErrors === null){
vErrors = [err407];
}
else {
vErrors.push(err407);
}
errors++;
}
const len10 = data152.length;
for(let i10=0; i10<len10; i10++){
let data153 = data152[i10];
if(data153 && typeof data153 == "object" && !Array.isArray(data153)){
if(data153.name === undefined){
const err408 = {instancePath:instancePath+"/status/budget/models/" + i10,schemaPath:"#/properties/status/properties/budget/properties/models/items/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'"};
if(vErrors === null){
vErrors = [err408];
}
else {
vErrors.push(err408);
}
errors++;
}
for(const key37 in data153){
if(!((((key37 === "name") || (key37 === "spentTodayUSD")) || (key37 === "dailyUSD")) || (key37 === "exhausted"))){
const err409 = {instancePath:instancePath+"/status/budget/models/" + i10,schemaPath:"#/properties/status/properties/budget/properties/models/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key37},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err409];
}
else {
vErrors.push(err409);
}
errors++;
}
}
if(data153.name !== undefined){
let data154 = data153.name;
if(typeof data154 === "string"){
if(func2(data154) > 128){
const err410 = {instancePath:instancePath+"/status/budget/models/" + i10+"/name",schemaPath:"#/properties/status/properties/budget/properties/models/items/properties/name/maxLength",keyword:"maxLength",params:{limit: 128},message:"must NOT have more than 128 characters"};
if(vErrors === null){
vErrors = [err410];
}
else {
vErrors.push(err410);
}
errors++;
}
}
else {
const err411 = {instancePath:instancePath+"/status/budget/models/" + i10+"/name",schemaPath:"#/properties/status/properties/budget/properties/models/items/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err411];
}
else {
vErrors.push(err411);
}
errors++;
}
}
if(data153.spentTodayUSD !== undefined){
let data155 = data153.spentTodayUSD;
if((typeof data155 == "number") && (isFinite(data155))){
if(data155 < 0 || isNaN(data155)){
const err412 = {instancePath:instancePath+"/status/budget/models/" + i10+"/spentTodayUSD",schemaPath:"#/properties/status/properties/budget/properties/models/items/properties/spentTodayUSD/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err412];
}
else {
vErrors.push(err412);
}
errors++;
}
}
else {
const err413 = {instancePath:instancePath+"/status/budget/models/" + i10+"/spentTodayUSD",schemaPath:"#/properties/status/properties/budget/properties/models/items/properties/spentTodayUSD/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err413];
}
else {
vErrors.push(err413);
}
errors++;
}
}
if(data153.dailyUSD !== undefined){
let data156 = data153.dailyUSD;
if((typeof data156 == "number") && (isFinite(data156))){
if(data156 < 0 || isNaN(data156)){
const err414 = {instancePath:instancePath+"/status/budget/models/" + i10+"/dailyUSD",schemaPath:"#/properties/status/properties/budget/properties/models/items/properties/dailyUSD/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err414];
}
else {
vErrors.push(err414);
}
errors++;
}
}
else {
const err415 = {instancePath:instancePath+"/status/budget/models/" + i10+"/dailyUSD",schemaPath:"#/properties/status/properties/budget/properties/models/items/properties/dailyUSD/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err415];
}
else {
vErrors.push(err415);
}
errors++;
}
}
if(data153.exhausted !== undefined){
if(typeof data153.exhausted !== "boolean"){
const err416 = {instancePath:instancePath+"/status/budget/models/" + i10+"/exhausted",schemaPath:"#/properties/status/properties/budget/properties/models/items/properties/exhausted/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err416];
}
else {
vErrors.push(err416);
}
errors++;
}
}
}
else {
const err417 = {instancePath:instancePath+"/status/budget/models/" + i10,schemaPath:"#/properties/status/properties/budget/properties/models/items/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err417];
}
else {
vErrors.push(err417);
}
errors++;
}
}
}
else {
const err418 = {instancePath:instancePath+"/status/budget/models",schemaPath:"#/properties/status/properties/budget/properties/models/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err418];
}
else {
vErrors.push(err418);
}
errors++;
}
}
}
else {
const err419 = {instancePath:instancePath+"/status/budget",schemaPath:"#/properties/status/properties/budget/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err419];
}
else {
vErrors.push(err419);
}
errors++;
}
}
if(data107.lastRollback !== undefined){
let data158 = data107.lastRollback;
if(data158 && typeof data158 == "object" && !Array.isArray(data158)){
for(const key38 in data158){
if(!((((key38 === "time") || (key38 === "reason")) || (key38 === "message")) || (key38 === "generation"))){
const err420 = {instancePath:instancePath+"/status/lastRollback",schemaPath:"#/properties/status/properties/lastRollback/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key38},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err420];
}
else {
vErrors.push(err420);
}
errors++;
}
}
if(data158.time !== undefined){
let data159 = data158.time;
if(typeof data159 === "string"){
if(func2(data159) > 64){
const err421 = {instancePath:instancePath+"/status/lastRollback/time",schemaPath:"#/properties/status/properties/lastRollback/properties/time/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters"};
if(vErrors === null){
vErrors = [err421];
}
else {
vErrors.push(err421);
}
errors++;
}
if(!(formats0.test(data159))){
const err422 = {instancePath:instancePath+"/status/lastRollback/time",schemaPath:"#/properties/status/properties/lastRollback/properties/time/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""};
if(vErrors === null){
vErrors = [err422];
}
else {
vErrors.push(err422);
}
errors++;
}
}
else {
const err423 = {instancePath:instancePath+"/status/lastRollback/time",schemaPath:"#/properties/status/properties/lastRollback/properties/time/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err423];
}
else {
vErrors.push(err423);
}
errors++;
}
}
if(data158.reason !== undefined){
let data160 = data158.reason;
if(typeof data160 === "string"){
if(func2(data160) > 64){
const err424 = {instancePath:instancePath+"/status/lastRollback/reason",schemaPath:"#/properties/status/properties/lastRollback/properties/reason/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters"};
if(vErrors === null){
vErrors = [err424];
}
else {
vErrors.push(err424);
}
errors++;
}
}
else {
const err425 = {instancePath:instancePath+"/status/lastRollback/reason",schemaPath:"#/properties/status/properties/lastRollback/properties/reason/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err425];
}
else {
vErrors.push(err425);
}
errors++;
}
}
if(data158.message !== undefined){
let data161 = data158.message;
if(typeof data161 === "string"){
if(func2(data161) > 1024){
const err426 = {instancePath:instancePath+"/status/lastRollback/message",schemaPath:"#/properties/status/properties/lastRollback/properties/message/maxLength",keyword:"maxLength",params:{limit: 1024},message:"must NOT have more than 1024 characters"};
if(vErrors === null){
vErrors = [err426];
}
else {
vErrors.push(err426);
}
errors++;
}
}
else {
const err427 = {instancePath:instancePath+"/status/lastRollback/message",schemaPath:"#/properties/status/properties/lastRollback/properties/message/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err427];
}
else {
vErrors.push(err427);
}
errors++;
}
}
if(data158.generation !== undefined){
let data162 = data158.generation;
if(!(((typeof data162 == "number") && (!(data162 % 1) && !isNaN(data162))) && (isFinite(data162)))){
const err428 = {instancePath:instancePath+"/status/lastRollback/generation",schemaPath:"#/properties/status/properties/lastRollback/properties/generation/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err428];
}
else {
vErrors.push(err428);
}
errors++;
}
if((typeof data162 == "number") && (isFinite(data162))){
if(data162 < 0 || isNaN(data162)){
const err429 = {instancePath:instancePath+"/status/lastRollback/generation",schemaPath:"#/properties/status/properties/lastRollback/properties/generation/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err429];
}
else {
vErrors.push(err429);
}
errors++;
}
if(!(formats2.validate(data162))){
const err430 = {instancePath:instancePath+"/status/lastRollback/generation",schemaPath:"#/properties/status/properties/lastRollback/properties/generation/format",keyword:"format",params:{format: "int64"},message:"must match format \""+"int64"+"\""};
if(vErrors === null){
vErrors = [err430];
}
else {
vErrors.push(err430);
}
errors++;
}
}
}
}
else {
const err431 = {instancePath:instancePath+"/status/lastRollback",schemaPath:"#/properties/status/properties/lastRollback/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err431];
}
else {
vErrors.push(err431);
}
errors++;
}
}
if(data107.canary !== undefined){
let data163 = data107.canary;
if(data163 && typeof data163 == "object" && !Array.isArray(data163)){
for(const key39 in data163){
if(!((key39 === "stepStartedAt") || (key39 === "holdReason"))){
const err432 = {instancePath:instancePath+"/status/canary",schemaPath:"#/properties/status/properties/canary/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key39},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err432];
}
else {
vErrors.push(err432);
}
errors++;
}
}
if(data163.stepStartedAt !== undefined){
let data164 = data163.stepStartedAt;
if(typeof data164 === "string"){
if(func2(data164) > 64){
const err433 = {instancePath:instancePath+"/status/canary/stepStartedAt",schemaPath:"#/properties/status/properties/canary/properties/stepStartedAt/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters"};
if(vErrors === null){
vErrors = [err433];
}
else {
vErrors.push(err433);
}
errors++;
}
if(!(formats0.test(data164))){
const err434 = {instancePath:instancePath+"/status/canary/stepStartedAt",schemaPath:"#/properties/status/properties/canary/properties/stepStartedAt/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""};
if(vErrors === null){
vErrors = [err434];
}
else {
vErrors.push(err434);
}
errors++;
}
}
else {
const err435 = {instancePath:instancePath+"/status/canary/stepStartedAt",schemaPath:"#/properties/status/properties/canary/properties/stepStartedAt/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err435];
}
else {
vErrors.push(err435);
}
errors++;
}
}
if(data163.holdReason !== undefined){
let data165 = data163.holdReason;
if(typeof data165 === "string"){
if(func2(data165) > 1024){
const err436 = {instancePath:instancePath+"/status/canary/holdReason",schemaPath:"#/properties/status/properties/canary/properties/holdReason/maxLength",keyword:"maxLength",params:{limit: 1024},message:"must NOT have more than 1024 characters"};
if(vErrors === null){
vErrors = [err436];
}
else {
vErrors.push(err436);
}
errors++;
}
}
else {
const err437 = {instancePath:instancePath+"/status/canary/holdReason",schemaPath:"#/properties/status/properties/canary/properties/holdReason/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err437];
}
else {
vErrors.push(err437);
}
errors++;
}
}
}
else {
const err438 = {instancePath:instancePath+"/status/canary",schemaPath:"#/properties/status/properties/canary/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err438];
}
else {
vErrors.push(err438);
}
errors++;
}
}
if(data107.conditions !== undefined){
let data166 = data107.conditions;
if(Array.isArray(data166)){
if(data166.length > 16){
const err439 = {instancePath:instancePath+"/status/conditions",schemaPath:"#/properties/status/properties/conditions/maxItems",keyword:"maxItems",params:{limit: 16},message:"must NOT have more than 16 items"};
if(vErrors === null){
vErrors = [err439];
}
else {
vErrors.push(err439);
}
errors++;
}
const len11 = data166.length;
for(let i11=0; i11<len11; i11++){
let data167 = data166[i11];
if(data167 && typeof data167 == "object" && !Array.isArray(data167)){
if(data167.type === undefined){
const err440 = {instancePath:instancePath+"/status/conditions/" + i11,schemaPath:"#/properties/status/properties/conditions/items/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'"};
if(vErrors === null){
vErrors = [err440];
}
else {
vErrors.push(err440);
}
errors++;
}
if(data167.status === undefined){
const err441 = {instancePath:instancePath+"/status/conditions/" + i11,schemaPath:"#/properties/status/properties/conditions/items/required",keyword:"required",params:{missingProperty: "status"},message:"must have required property '"+"status"+"'"};
if(vErrors === null){
vErrors = [err441];
}
else {
vErrors.push(err441);
}
errors++;
}
if(data167.lastTransitionTime === undefined){
const err442 = {instancePath:instancePath+"/status/conditions/" + i11,schemaPath:"#/properties/status/properties/conditions/items/required",keyword:"required",params:{missingProperty: "lastTransitionTime"},message:"must have required property '"+"lastTransitionTime"+"'"};
if(vErrors === null){
vErrors = [err442];
}
else {
vErrors.push(err442);
}
errors++;
}
if(data167.reason === undefined){
const err443 = {instancePath:instancePath+"/status/conditions/" + i11,schemaPath:"#/properties/status/properties/conditions/items/required",keyword:"required",params:{missingProperty: "reason"},message:"must have required property '"+"reason"+"'"};
if(vErrors === null){
vErrors = [err443];
}
else {
vErrors.push(err443);
}
errors++;
}
if(data167.message === undefined){
const err444 = {instancePath:instancePath+"/status/conditions/" + i11,schemaPath:"#/properties/status/properties/conditions/items/required",keyword:"required",params:{missingProperty: "message"},message:"must have required property '"+"message"+"'"};
if(vErrors === null){
vErrors = [err444];
}
else {
vErrors.push(err444);
}
errors++;
}
for(const key40 in data167){
if(!((((((key40 === "type") || (key40 === "status")) || (key40 === "observedGeneration")) || (key40 === "lastTransitionTime")) || (key40 === "reason")) || (key40 === "message"))){
const err445 = {instancePath:instancePath+"/status/conditions/" + i11,schemaPath:"#/properties/status/properties/conditions/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key40},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err445];
}
else {
vErrors.push(err445);
}
errors++;
}
}
if(data167.type !== undefined){
let data168 = data167.type;
if(typeof data168 === "string"){
if(func2(data168) > 316){
const err446 = {instancePath:instancePath+"/status/conditions/" + i11+"/type",schemaPath:"#/properties/status/properties/conditions/items/properties/type/maxLength",keyword:"maxLength",params:{limit: 316},message:"must NOT have more than 316 characters"};
if(vErrors === null){
vErrors = [err446];
}
else {
vErrors.push(err446);
}
errors++;
}
if(!pattern34.test(data168)){
const err447 = {instancePath:instancePath+"/status/conditions/" + i11+"/type",schemaPath:"#/properties/status/properties/conditions/items/properties/type/pattern",keyword:"pattern",params:{pattern: "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"},message:"must match pattern \""+"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"+"\""};
if(vErrors === null){
vErrors = [err447];
}
else {
vErrors.push(err447);
}
errors++;
}
}
else {
const err448 = {instancePath:instancePath+"/status/conditions/" + i11+"/type",schemaPath:"#/properties/status/properties/conditions/items/properties/type/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err448];
}
else {
vErrors.push(err448);
}
errors++;
}
}
if(data167.status !== undefined){
let data169 = data167.status;
if(typeof data169 !== "string"){
const err449 = {instancePath:instancePath+"/status/conditions/" + i11+"/status",schemaPath:"#/properties/status/properties/conditions/items/properties/status/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err449];
}
else {
vErrors.push(err449);
}
errors++;
}
if(!(((data169 === "True") || (data169 === "False")) || (data169 === "Unknown"))){
const err450 = {instancePath:instancePath+"/status/conditions/" + i11+"/status",schemaPath:"#/properties/status/properties/conditions/items/properties/status/enum",keyword:"enum",params:{allowedValues: schema11.properties.status.properties.conditions.items.properties.status.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err450];
}
else {
vErrors.push(err450);
}
errors++;
}
}
if(data167.observedGeneration !== undefined){
let data170 = data167.observedGeneration;
if(!(((typeof data170 == "number") && (!(data170 % 1) && !isNaN(data170))) && (isFinite(data170)))){
const err451 = {instancePath:instancePath+"/status/conditions/" + i11+"/observedGeneration",schemaPath:"#/properties/status/properties/conditions/items/properties/observedGeneration/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err451];
}
else {
vErrors.push(err451);
}
errors++;
}
if((typeof data170 == "number") && (isFinite(data170))){
if(data170 < 0 || isNaN(data170)){
const err452 = {instancePath:instancePath+"/status/conditions/" + i11+"/observedGeneration",schemaPath:"#/properties/status/properties/conditions/items/properties/observedGeneration/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err452];
}
else {
vErrors.push(err452);
}
errors++;
}
if(!(formats2.validate(data170))){
const err453 = {instancePath:instancePath+"/status/conditions/" + i11+"/observedGeneration",schemaPath:"#/properties/status/properties/conditions/items/properties/observedGeneration/format",keyword:"format",params:{format: "int64"},message:"must match format \""+"int64"+"\""};
if(vErrors === null){
vErrors = [err453];
}
else {
vErrors.push(err453);
}
errors++;
}
}
}
if(data167.lastTransitionTime !== undefined){
let data171 = data167.lastTransitionTime;
if(typeof data171 === "string"){
if(func2(data171) > 64){
const err454 = {instancePath:instancePath+"/status/conditions/" + i11+"/lastTransitionTime",schemaPath:"#/properties/status/properties/conditions/items/properties/lastTransitionTime/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters"};
if(vErrors === null){
vErrors = [err454];
}
else {
vErrors.push(err454);
}
errors++;
}
if(!(formats0.test(data171))){
const err455 = {instancePath:instancePath+"/status/conditions/" + i11+"/lastTransitionTime",schemaPath:"#/properties/status/properties/conditions/items/properties/lastTransitionTime/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""};
if(vErrors === null){
vErrors = [err455];
}
else {
vErrors.push(err455);
}
errors++;
}
}
else {
const err456 = {instancePath:instancePath+"/status/conditions/" + i11+"/lastTransitionTime",schemaPath:"#/properties/status/properties/conditions/items/properties/lastTransitionTime/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err456];
}
else {
vErrors.push(err456);
}
errors++;
}
}
if(data167.reason !== undefined){
let data172 = data167.reason;
if(typeof data172 === "string"){
if(func2(data172) > 1024){
const err457 = {instancePath:instancePath+"/status/conditions/" + i11+"/reason",schemaPath:"#/properties/status/properties/conditions/items/properties/reason/maxLength",keyword:"maxLength",params:{limit: 1024},message:"must NOT have more than 1024 characters"};
if(vErrors === null){
vErrors = [err457];
}
else {
vErrors.push(err457);
}
errors++;
}
if(func2(data172) < 1){
const err458 = {instancePath:instancePath+"/status/conditions/" + i11+"/reason",schemaPath:"#/properties/status/properties/conditions/items/properties/reason/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err458];
}
else {
vErrors.push(err458);
}
errors++;
}
if(!pattern35.test(data172)){
const err459 = {instancePath:instancePath+"/status/conditions/" + i11+"/reason",schemaPath:"#/properties/status/properties/conditions/items/properties/reason/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"},message:"must match pattern \""+"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"+"\""};
if(vErrors === null){
vErrors = [err459];
}
else {
vErrors.push(err459);
}
errors++;
}
}
else {
const err460 = {instancePath:instancePath+"/status/conditions/" + i11+"/reason",schemaPath:"#/properties/status/properties/conditions/items/properties/reason/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err460];
}
else {
vErrors.push(err460);
}
errors++;
}
}
if(data167.message !== undefined){
let data173 = data167.message;
if(typeof data173 === "string"){
if(func2(data173) > 32768){
const err461 = {instancePath:instancePath+"/status/conditions/" + i11+"/message",schemaPath:"#/properties/status/properties/conditions/items/properties/message/maxLength",keyword:"maxLength",params:{limit: 32768},message:"must NOT have more than 32768 characters"};
if(vErrors === null){
vErrors = [err461];
}
else {
vErrors.push(err461);
}
errors++;
}
}
else {
const err462 = {instancePath:instancePath+"/status/conditions/" + i11+"/message",schemaPath:"#/properties/status/properties/conditions/items/properties/message/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err462];
}
else {
vErrors.push(err462);
}
errors++;
}
}
}
else {
const err463 = {instancePath:instancePath+"/status/conditions/" + i11,schemaPath:"#/properties/status/properties/conditions/items/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err463];
}
else {
vErrors.push(err463);
}
errors++;
}
}
}
else {
const err464 = {instancePath:instancePath+"/status/conditions",schemaPath:"#/properties/status/properties/conditions/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err464];
}
else {
vErrors.push(err464);
}
errors++;
}
}
}
else {
const err465 = {instancePath:instancePath+"/status",schemaPath:"#/properties/status/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err465];
}
else {
vErrors.push(err465);
}
errors++;
}
}
}
else {
const err466 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err466];
}
else {
vErrors.push(err466);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}
