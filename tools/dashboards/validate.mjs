// Validates Grafana dashboard JSON files against Grafana's own schema: the TypeScript types of
// @grafana/schema (the classic dashboard kind, raw/dashboard/x, and each panel plugin's Options and
// FieldConfig, raw/composable/<panel>/panelcfg/x) turned into JSON Schema by ts-json-schema-generator,
// checked with Ajv. Objects may not carry properties the types do not declare.
// Also checks what the schema cannot: schemaVersion is the package's current one, uids are stable
// and well formed, panel ids are unique, every query uses the ${datasource} variable.
// Usage: node tools/dashboards/validate.mjs dashboards/*.json   (exit 0: all valid; 1: errors listed)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';
import Ajv from 'ajv';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const schemaPkg = dirname(require.resolve('@grafana/schema/package.json'));
const types = join(schemaPkg, 'dist/types/raw');
const { defaultDashboard } = require('@grafana/schema');

function schemaOf(path, type) {
  return createGenerator({ path, type, skipTypeCheck: true, expose: 'export', topRef: true, additionalProperties: false, jsDoc: 'none' }).createSchema(type);
}
const ajv = new Ajv({ allErrors: true, strict: false });
/**
 * Grafana's dashboard kind is closed except where a data source plugin adds its own fields: an
 * annotation query carries the data source's query (Prometheus: expr, step, titleFormat,
 * textFormat, tagKeys, useValueForTime), its `target` is typed for the built-in Grafana source only
 * ("Only required/valid for the grafana datasource"), and a query variable keeps its `definition`.
 * Those three definitions are opened; everything else stays closed.
 */
function dashboardKind() {
  const s = schemaOf(join(types, 'dashboard/x/types.gen.d.ts'), 'Dashboard');
  for (const name of ['AnnotationQuery', 'AnnotationTarget', 'VariableModel']) {
    s.definitions[name].additionalProperties = true;
  }
  delete s.definitions.AnnotationTarget.required;
  return s;
}
const dashboardSchema = ajv.compile(dashboardKind());
// panel type -> composable directory of @grafana/schema
const PANELS = { stat: 'stat', bargauge: 'bargauge', table: 'table', timeseries: 'timeseries', heatmap: 'heatmap',
  'status-history': 'statushistory', 'state-timeline': 'statetimeline', text: 'text', gauge: 'gauge', piechart: 'piechart', barchart: 'barchart' };
const panelSchemas = {};
function panelSchema(type) {
  if (!(type in panelSchemas)) {
    const dir = PANELS[type];
    if (!dir) { panelSchemas[type] = null; return null; }
    const file = join(types, 'composable', dir, 'panelcfg/x/types.gen.d.ts');
    const src = readFileSync(file, 'utf8');
    panelSchemas[type] = {
      options: ajv.compile(schemaOf(file, 'Options')),
      custom: /export interface FieldConfig\b/.test(src) ? ajv.compile(schemaOf(file, 'FieldConfig')) : null
    };
  }
  return panelSchemas[type];
}
const fmt = (errors) => errors.map(e => `${e.instancePath || '/'} ${e.message}${e.params && e.params.additionalProperty ? ' (' + e.params.additionalProperty + ')' : ''}`);

let failed = false;
for (const file of process.argv.slice(2)) {
  const problems = [];
  let d;
  try { d = JSON.parse(readFileSync(file, 'utf8')); } catch (e) { problems.push('not JSON: ' + e.message); }
  if (d) {
    if (!dashboardSchema(d)) problems.push(...fmt(dashboardSchema.errors).map(m => 'dashboard' + m));
    if (d.schemaVersion !== defaultDashboard.schemaVersion) problems.push(`schemaVersion ${d.schemaVersion} is not the current ${defaultDashboard.schemaVersion}`);
    if (!/^[a-zA-Z0-9_-]{8,40}$/.test(d.uid || '')) problems.push(`uid "${d.uid}" is not 8-40 characters of [a-zA-Z0-9_-]`);
    if (d.id !== undefined && d.id !== null) problems.push('id is set (Grafana-instance specific; leave it out)');
    const vars = (d.templating && d.templating.list || []).map(v => v.name);
    for (const v of ['datasource', 'cluster', 'vantage', 'node']) if (!vars.includes(v)) problems.push(`variable ${v} is missing`);
    const ids = new Set();
    const panels = [];
    for (const p of d.panels || []) { panels.push(p); for (const c of p.panels || []) panels.push(c); }
    for (const p of panels) {
      const where = `panel ${p.id} "${p.title}"`;
      if (ids.has(p.id)) problems.push(`${where}: id used twice`);
      ids.add(p.id);
      if (p.type === 'row') continue;
      const s = panelSchema(p.type);
      if (s === null) { problems.push(`${where}: panel type ${p.type} has no schema in @grafana/schema`); continue; }
      if (p.options && !s.options(p.options)) problems.push(...fmt(s.options.errors).map(m => `${where}: options${m}`));
      const custom = p.fieldConfig && p.fieldConfig.defaults && p.fieldConfig.defaults.custom;
      if (custom && s.custom && !s.custom(custom)) problems.push(...fmt(s.custom.errors).map(m => `${where}: fieldConfig.defaults.custom${m}`));
      for (const t of p.targets || []) {
        if (!t.datasource || t.datasource.uid !== '${datasource}') problems.push(`${where}: query ${t.refId} does not use the \${datasource} variable`);
        if (!t.expr) problems.push(`${where}: query ${t.refId} has no expr`);
      }
      if (!p.datasource || p.datasource.uid !== '${datasource}') problems.push(`${where}: datasource is not the \${datasource} variable`);
    }
    for (const a of (d.annotations && d.annotations.list) || []) {
      if (a.builtIn) continue;
      if (!a.datasource || a.datasource.uid !== '${datasource}') problems.push(`annotation "${a.name}" does not use the \${datasource} variable`);
    }
  }
  if (problems.length) {
    failed = true;
    console.log(`INVALID ${file}`);
    for (const p of problems) console.log('  ' + p);
  } else {
    console.log(`valid ${file} (schemaVersion ${d.schemaVersion}, uid ${d.uid})`);
  }
}
process.exit(failed ? 1 : 0);
