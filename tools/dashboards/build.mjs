// Builds dashboards/mailprobe-availability.json and dashboards/mailprobe-node.json (Grafana
// dashboard JSON, schemaVersion of @grafana/schema's defaultDashboard). Run: node tools/dashboards/build.mjs
// `--check` exits 1 when the committed files differ from what this script builds.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCHEMA_VERSION = 42;
const DS = { type: 'prometheus', uid: '${datasource}' };
const SEL = 'cluster=~"$cluster", vantage=~"$vantage"';
const TAGS = ['mailprobe'];

let nextId = 1;
const target = (expr, refId, extra = {}) => ({ datasource: DS, expr, refId, ...extra });
function panel(type, title, gridPos, targets, extra = {}) {
  return { id: nextId++, type, title, datasource: DS, gridPos, targets, ...extra };
}
const row = (title, y) => ({ id: nextId++, type: 'row', title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
const thresholds = (steps) => ({ mode: 'absolute', steps: steps.map(([color, value]) => ({ color, value })) });
const upDownMappings = [{ type: 'value', options: { '0': { text: 'DOWN', color: 'red', index: 0 }, '1': { text: 'UP', color: 'green', index: 1 } } }];

function variables(nodeMulti) {
  return [
    { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', hide: 0, refresh: 1, regex: '', options: [] },
    { name: 'cluster', label: 'Cluster', type: 'query', datasource: DS, query: { query: 'label_values(mailprobe_build_info, cluster)', refId: 'cluster' },
      definition: 'label_values(mailprobe_build_info, cluster)', includeAll: true, allValue: '.*', multi: true, refresh: 2, sort: 1, options: [] },
    { name: 'vantage', label: 'Vantage', type: 'query', datasource: DS, query: { query: 'label_values(mailprobe_build_info{cluster=~"$cluster"}, vantage)', refId: 'vantage' },
      definition: 'label_values(mailprobe_build_info{cluster=~"$cluster"}, vantage)', includeAll: true, allValue: '.*', multi: true, refresh: 2, sort: 1, options: [] },
    { name: 'node', label: 'Node', type: 'query', datasource: DS, query: { query: `label_values(mailprobe_node_up{${SEL}}, node)`, refId: 'node' },
      definition: `label_values(mailprobe_node_up{${SEL}}, node)`, includeAll: nodeMulti, multi: nodeMulti, ...(nodeMulti ? { allValue: '.*' } : {}),
      refresh: 2, sort: 7, options: [] },
    { name: 'runbooks', label: 'Runbooks', type: 'constant', hide: 2, query: 'https://github.com/mailprobe/mailprobe/blob/main/docs/runbooks',
      description: 'Base URL of docs/runbooks (alerts link <base>/<alertname>.md); set it on import or in the Helm values', options: [] }
  ];
}

// DOWN events as annotations: while a node is DOWN, customer-visible when its SLI events turned bad meanwhile, absorbed otherwise
const downExpr = (nodeSel) => `max by (cluster, vantage, node) (mailprobe_node_up{${SEL}, node=~"${nodeSel}"} == 0)`;
const badExpr = (nodeSel) => `sum by (cluster, vantage, node) (increase(mailprobe_sli_events_total{${SEL}, node=~"${nodeSel}", result="bad"}[5m])) > 0`;
function annotations(nodeSel) {
  return { list: [
    { builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' },
    { name: 'DOWN, customers saw it', datasource: DS, enable: true, iconColor: 'red',
      target: { expr: `${downExpr(nodeSel)} and on (cluster, vantage, node) (${badExpr(nodeSel)})`, refId: 'visible', step: '30s' },
      titleFormat: '{{node}} DOWN — customers saw it', textFormat: 'SLI events attributed to {{node}} failed while it was DOWN: budget burned (status page: incident impact)',
      tagKeys: 'node,cluster', useValueForTime: false },
    { name: 'DOWN, absorbed', datasource: DS, enable: true, iconColor: 'orange',
      target: { expr: `${downExpr(nodeSel)} unless on (cluster, vantage, node) (${badExpr(nodeSel)})`, refId: 'absorbed', step: '30s' },
      titleFormat: '{{node}} DOWN — absorbed', textFormat: 'no SLI event attributed to {{node}} failed: the cluster hid it from customers',
      tagKeys: 'node,cluster', useValueForTime: false }
  ] };
}
const links = (runbookTitle) => [
  { title: 'mailprobe boards', type: 'dashboards', tags: TAGS, asDropdown: false, icon: 'external link', includeVars: true, keepTime: true, targetBlank: false, tooltip: '', url: '' },
  { title: runbookTitle, type: 'link', url: '${runbooks}', icon: 'doc', tags: [], asDropdown: false, includeVars: false, keepTime: false, targetBlank: true, tooltip: 'What to do for each mailprobe alert' }
];
function dashboard(uid, title, description, panels, nodeMulti, nodeSel) {
  return {
    uid, title, description, tags: TAGS, editable: true, graphTooltip: 1, schemaVersion: SCHEMA_VERSION, version: 1,
    timezone: 'utc', refresh: '30s', time: { from: 'now-6h', to: 'now' }, fiscalYearStartMonth: 0, liveNow: false, weekStart: '',
    links: links('Runbooks'), annotations: annotations(nodeSel), templating: { list: variables(nodeMulti) }, panels
  };
}

// ---------------------------------------------------------------------------------------------
// mailprobe-availability
nextId = 1;
const sloWindows = 'slo:sli_error:ratio_rate(5m|30m|1h|2h|6h|1d|3d)';
const avail = [
  row('Service level objectives', 0),
  panel('stat', 'Objective', { h: 5, w: 4, x: 0, y: 1 }, [target('max by (sloth_slo) (slo:objective:ratio{sloth_service="mailprobe"})', 'A', { instant: true, legendFormat: '{{sloth_slo}}' })],
    { description: 'The SLO target per SLI (slo:objective:ratio, Sloth naming).', fieldConfig: { defaults: { unit: 'percentunit', decimals: 3 }, overrides: [] },
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'none', graphMode: 'none', textMode: 'value_and_name', orientation: 'horizontal', justifyMode: 'auto', wideLayout: true, showPercentChange: false, percentChangeColorMode: 'standard' } }),
  panel('stat', 'Current SLI (5m)', { h: 5, w: 5, x: 4, y: 1 }, [target(`1 - max by (sloth_slo) (slo:sli_error:ratio_rate5m{sloth_service="mailprobe", ${SEL}})`, 'A', { instant: true, legendFormat: '{{sloth_slo}}' })],
    { description: 'Good events over all events of the last 5 minutes, on the customer path (entry points).', fieldConfig: { defaults: { unit: 'percentunit', decimals: 3, thresholds: thresholds([['red', null], ['orange', 0.99], ['green', 0.999]]) }, overrides: [] },
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area', textMode: 'value_and_name', orientation: 'horizontal', justifyMode: 'auto', wideLayout: true, showPercentChange: false, percentChangeColorMode: 'standard' } }),
  panel('bargauge', 'Error budget remaining', { h: 5, w: 7, x: 9, y: 1 }, [target(`min by (sloth_slo) (slo:period_error_budget_remaining:ratio{sloth_service="mailprobe", ${SEL}})`, 'A', { instant: true, legendFormat: '{{sloth_slo}}' })],
    { description: 'Share of the SLO period\'s error budget left (negative: overspent).', fieldConfig: { defaults: { unit: 'percentunit', min: 0, max: 1, thresholds: thresholds([['red', null], ['orange', 0.25], ['green', 0.5]]) }, overrides: [] },
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, orientation: 'horizontal', displayMode: 'gradient', showUnfilled: true, valueMode: 'color', namePlacement: 'auto', sizing: 'auto', minVizWidth: 8, minVizHeight: 16, maxVizHeight: 300, legend: { showLegend: false, displayMode: 'list', placement: 'bottom', calcs: [] } } }),
  panel('table', 'Burn rate per window', { h: 5, w: 8, x: 16, y: 1 },
    [target(`max by (sloth_slo, sloth_window) ({__name__=~"${sloWindows}", sloth_service="mailprobe", ${SEL}} / on (sloth_id, sloth_slo, sloth_service) group_left slo:error_budget:ratio{sloth_service="mailprobe"})`, 'A', { instant: true, format: 'table' })],
    { description: 'Error ratio over each window / (1 - objective). Page at 14.4x (1h and 5m) or 6x (6h and 30m); ticket at 3x and 1x. Windows longer than the SLO period are not recorded.',
      fieldConfig: { defaults: { unit: 'x', decimals: 2, thresholds: thresholds([['green', null], ['orange', 1], ['red', 14.4]]), custom: { cellOptions: { type: 'color-text' }, align: 'auto', inspect: false } }, overrides: [] },
      options: { showHeader: true, cellHeight: 'sm', frameIndex: 0 },
      transformations: [{ id: 'groupingToMatrix', options: { columnField: 'sloth_window', rowField: 'sloth_slo', valueField: 'Value' } }] }),
  panel('timeseries', 'Burn rate per window', { h: 8, w: 12, x: 0, y: 6 },
    [target(`max by (sloth_slo, sloth_window) ({__name__=~"${sloWindows}", sloth_service="mailprobe", ${SEL}} / on (sloth_id, sloth_slo, sloth_service) group_left slo:error_budget:ratio{sloth_service="mailprobe"})`, 'A', { legendFormat: '{{sloth_slo}} {{sloth_window}}' })],
    { fieldConfig: { defaults: { unit: 'x', custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 0, showPoints: 'never', spanNulls: false, thresholdsStyle: { mode: 'line' } }, thresholds: thresholds([['green', null], ['red', 14.4]]) }, overrides: [] },
      options: { legend: { showLegend: true, displayMode: 'table', placement: 'right', calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } } }),
  panel('timeseries', 'Error budget remaining', { h: 8, w: 12, x: 12, y: 6 },
    [target(`min by (sloth_slo) (slo:period_error_budget_remaining:ratio{sloth_service="mailprobe", ${SEL}})`, 'A', { legendFormat: '{{sloth_slo}}' })],
    { fieldConfig: { defaults: { unit: 'percentunit', custom: { drawStyle: 'line', lineWidth: 2, fillOpacity: 10, showPoints: 'never', spanNulls: false } }, overrides: [] },
      options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] }, tooltip: { mode: 'multi', sort: 'none' } } }),
  row('Who burned the budget', 14),
  panel('table', 'Budget consumed per node', { h: 8, w: 12, x: 0, y: 15 },
    [target(`max by (sloth_slo, node) (slo:period_error_budget_consumed_by_node:ratio{sloth_service="mailprobe", ${SEL}, node=~"$node|unknown"})`, 'A', { instant: true, format: 'table' })],
    { description: 'Bad events attributed to each node over the SLO period / (all events x (1 - objective)); per SLO the shares sum to the budget consumed.',
      fieldConfig: { defaults: { unit: 'percentunit', decimals: 2, custom: { cellOptions: { type: 'color-background' }, align: 'auto', inspect: false }, thresholds: thresholds([['green', null], ['orange', 0.01], ['red', 0.25]]) }, overrides: [] },
      options: { showHeader: true, cellHeight: 'sm', frameIndex: 0, sortBy: [] },
      transformations: [{ id: 'groupingToMatrix', options: { columnField: 'sloth_slo', rowField: 'node', valueField: 'Value' } }],
      links: [{ title: 'Node drill-down', type: 'link', url: '/d/mailprobe-node/mailprobe-node?${__url_time_range}&${cluster:queryparam}&${vantage:queryparam}&var-node=${__data.fields.node}', targetBlank: false, asDropdown: false, icon: 'dashboard', includeVars: false, keepTime: false, tags: [], tooltip: 'Open this node\'s board' }] }),
  panel('bargauge', 'Budget consumed per node', { h: 8, w: 12, x: 12, y: 15 },
    [target(`max by (sloth_slo, node) (slo:period_error_budget_consumed_by_node:ratio{sloth_service="mailprobe", ${SEL}, node=~"$node|unknown"}) > 0`, 'A', { instant: true, legendFormat: '{{sloth_slo}} · {{node}}' })],
    { fieldConfig: { defaults: { unit: 'percentunit', min: 0, max: 1, thresholds: thresholds([['green', null], ['orange', 0.1], ['red', 0.5]]) }, overrides: [] },
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, orientation: 'horizontal', displayMode: 'basic', showUnfilled: true, valueMode: 'color', namePlacement: 'left', sizing: 'auto', minVizWidth: 8, minVizHeight: 16, maxVizHeight: 300, legend: { showLegend: false, displayMode: 'list', placement: 'bottom', calcs: [] } } }),
  row('Nodes', 23),
  panel('table', 'Node × protocol now', { h: 7, w: 10, x: 0, y: 24 },
    [target(`min by (node, protocol) (mailprobe_probe_success{${SEL}, node=~"$node"})`, 'A', { instant: true, format: 'table' })],
    { description: 'Last session probe of every node and protocol (mailprobe_probe_success).',
      fieldConfig: { defaults: { mappings: upDownMappings, custom: { cellOptions: { type: 'color-background' }, align: 'center', inspect: false }, thresholds: thresholds([['red', null], ['green', 1]]) }, overrides: [] },
      options: { showHeader: true, cellHeight: 'sm', frameIndex: 0 },
      transformations: [{ id: 'groupingToMatrix', options: { columnField: 'protocol', rowField: 'node', valueField: 'Value' } }] }),
  panel('status-history', 'Node × protocol up/down', { h: 7, w: 14, x: 10, y: 24 },
    [target(`min by (node, protocol) (mailprobe_probe_success{${SEL}, node=~"$node"})`, 'A', { legendFormat: '{{node}} {{protocol}}' })],
    { fieldConfig: { defaults: { mappings: upDownMappings, thresholds: thresholds([['red', null], ['green', 1]]), color: { mode: 'thresholds' }, custom: { lineWidth: 0, fillOpacity: 80 } }, overrides: [] },
      options: { showValue: 'never', rowHeight: 0.9, colWidth: 0.9, legend: { showLegend: false, displayMode: 'list', placement: 'bottom', calcs: [] }, tooltip: { mode: 'single', sort: 'none' } } }),
  panel('state-timeline', 'Node state (DOWN events)', { h: 6, w: 24, x: 0, y: 31 },
    [target(`min by (node) (mailprobe_node_up{${SEL}, node=~"$node"})`, 'A', { legendFormat: '{{node}}' })],
    { description: 'The node state machine (mailprobe_node_up). Annotations mark each DOWN stretch as absorbed or customer-visible.',
      fieldConfig: { defaults: { mappings: upDownMappings, thresholds: thresholds([['red', null], ['green', 1]]), color: { mode: 'thresholds' }, custom: { lineWidth: 0, fillOpacity: 80 } }, overrides: [] },
      options: { showValue: 'never', mergeValues: true, rowHeight: 0.9, alignValue: 'left', legend: { showLegend: false, displayMode: 'list', placement: 'bottom', calcs: [] }, tooltip: { mode: 'single', sort: 'none' } } }),
  panel('table', 'DOWN events in range', { h: 6, w: 12, x: 0, y: 37 },
    [target(`sum by (node, reason) (increase(mailprobe_node_down_events_total{${SEL}, node=~"$node"}[$__range])) > 0`, 'A', { instant: true, format: 'table' })],
    { fieldConfig: { defaults: { decimals: 0, custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: false } }, overrides: [] },
      options: { showHeader: true, cellHeight: 'sm', frameIndex: 0 },
      transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: 'DOWN events' } } }] }),
  panel('table', 'Firing alerts', { h: 6, w: 12, x: 12, y: 37 },
    [target('sum by (alertname, severity, slo, node, cluster) (ALERTS{alertstate="firing", cluster=~"$cluster"})', 'A', { instant: true, format: 'table' })],
    { description: 'Alerts firing now (Prometheus ALERTS series). Click an alert for its runbook.',
      fieldConfig: { defaults: { custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: false } },
        overrides: [{ matcher: { id: 'byName', options: 'alertname' }, properties: [{ id: 'links', value: [{ title: 'Runbook', url: '${runbooks}/${__value.raw}.md', targetBlank: true }] }] }] },
      options: { showHeader: true, cellHeight: 'sm', frameIndex: 0 },
      transformations: [{ id: 'organize', options: { excludeByName: { Time: true, Value: true } } }] }),
  row('Round trips (real mail, send path × fetch path)', 43),
  panel('timeseries', 'Round-trip latency p50 / p95 / p99', { h: 8, w: 12, x: 0, y: 44 }, [
    target(`histogram_quantile(0.5, sum by (send_node, fetch_node, le) (rate(mailprobe_roundtrip_seconds_bucket{${SEL}}[$__rate_interval])))`, 'A', { legendFormat: 'p50 {{send_node}} → {{fetch_node}}' }),
    target(`histogram_quantile(0.95, sum by (send_node, fetch_node, le) (rate(mailprobe_roundtrip_seconds_bucket{${SEL}}[$__rate_interval])))`, 'B', { legendFormat: 'p95 {{send_node}} → {{fetch_node}}' }),
    target(`histogram_quantile(0.99, sum by (send_node, fetch_node, le) (rate(mailprobe_roundtrip_seconds_bucket{${SEL}}[$__rate_interval])))`, 'C', { legendFormat: 'p99 {{send_node}} → {{fetch_node}}' })],
    { description: 'Send accepted (250 after DATA) -> visible on the fetch node.',
      fieldConfig: { defaults: { unit: 's', custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 0, showPoints: 'never', spanNulls: true } }, overrides: [] },
      options: { legend: { showLegend: true, displayMode: 'table', placement: 'right', calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } } }),
  panel('heatmap', 'Round-trip latency heatmap (${send_node} → ${fetch_node})', { h: 8, w: 12, x: 12, y: 44 },
    [target(`sum by (le) (increase(mailprobe_roundtrip_seconds_bucket{${SEL}, send_node=~"$send_node", fetch_node=~"$fetch_node"}[$__rate_interval]))`, 'A', { format: 'heatmap', legendFormat: '{{le}}' })],
    { repeat: 'fetch_node', repeatDirection: 'h', maxPerRow: 3,
      fieldConfig: { defaults: { custom: { scaleDistribution: { type: 'linear' }, hideFrom: { legend: false, tooltip: false, viz: false } } }, overrides: [] },
      options: { calculate: false, cellGap: 1, color: { mode: 'scheme', scheme: 'Oranges', scale: 'exponential', exponent: 0.5, fill: 'dark-orange', steps: 64, reverse: false },
        yAxis: { axisPlacement: 'left', unit: 's', reverse: false }, rowsFrame: { layout: 'auto' }, cellValues: {}, exemplars: { color: 'rgba(255,0,255,0.7)' },
        filterValues: { le: 1e-9 }, legend: { show: true }, showValue: 'never', tooltip: { mode: 'single', yHistogram: false, showColorScale: false } } }),
  panel('table', 'Round trips by outcome in range', { h: 8, w: 24, x: 0, y: 52 },
    [target(`sum by (send_node, fetch_node, result) (increase(mailprobe_roundtrips_total{${SEL}}[$__range]))`, 'A', { instant: true, format: 'table' })],
    { description: 'delivered | late (after deliveredWithin) | lost (not seen by lostAfter) | send_failed | fetch_failed',
      fieldConfig: { defaults: { decimals: 0, custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: false } }, overrides: [
        { matcher: { id: 'byName', options: 'lost' }, properties: [{ id: 'custom.cellOptions', value: { type: 'color-text' } }, { id: 'thresholds', value: thresholds([['green', null], ['red', 1]]) }] },
        { matcher: { id: 'byName', options: 'late' }, properties: [{ id: 'custom.cellOptions', value: { type: 'color-text' } }, { id: 'thresholds', value: thresholds([['green', null], ['orange', 1]]) }] }] },
      options: { showHeader: true, cellHeight: 'sm', frameIndex: 0 },
      transformations: [{ id: 'calculateField', options: { mode: 'binary', binary: { left: 'send_node', operator: '+', right: 'fetch_node' }, alias: 'path', replaceFields: false } },
        { id: 'groupingToMatrix', options: { columnField: 'result', rowField: 'path', valueField: 'Value' } }] })
];
const availVars = variables(true);
for (const [name, metricLabel] of [['send_node', 'send_node'], ['fetch_node', 'fetch_node']]) {
  availVars.splice(4, 0, { name, label: name === 'send_node' ? 'Send via' : 'Fetch from', type: 'query', datasource: DS,
    query: { query: `label_values(mailprobe_roundtrips_total{${SEL}}, ${metricLabel})`, refId: name }, definition: `label_values(mailprobe_roundtrips_total{${SEL}}, ${metricLabel})`,
    includeAll: true, multi: true, allValue: '.*', refresh: 2, sort: 1, options: [] });
}
const availability = dashboard('mailprobe-availability', 'mailprobe — availability',
  'SLOs, budgets and who burned them, node and round-trip health from mailprobe (docs/DASHBOARDS.md).', avail, true, '$node');
availability.templating.list = availVars;

// ---------------------------------------------------------------------------------------------
// mailprobe-node
nextId = 1;
const NODE = `${SEL}, node="$node"`;
const nodePanels = [
  row('$node', 0),
  panel('stat', 'State', { h: 4, w: 4, x: 0, y: 1 }, [target(`min(mailprobe_node_up{${NODE}})`, 'A', { instant: true })],
    { fieldConfig: { defaults: { mappings: upDownMappings, thresholds: thresholds([['red', null], ['green', 1]]), color: { mode: 'thresholds' } }, overrides: [] },
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'none', textMode: 'value', orientation: 'auto', justifyMode: 'auto', wideLayout: true, showPercentChange: false, percentChangeColorMode: 'standard' } }),
  panel('stat', 'Probe success by protocol', { h: 4, w: 8, x: 4, y: 1 }, [target(`min by (protocol) (mailprobe_probe_success{${NODE}})`, 'A', { instant: true, legendFormat: '{{protocol}}' })],
    { fieldConfig: { defaults: { mappings: upDownMappings, thresholds: thresholds([['red', null], ['green', 1]]), color: { mode: 'thresholds' } }, overrides: [] },
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'none', textMode: 'value_and_name', orientation: 'auto', justifyMode: 'auto', wideLayout: true, showPercentChange: false, percentChangeColorMode: 'standard' } }),
  panel('stat', 'Downtime in range', { h: 4, w: 4, x: 12, y: 1 }, [target(`sum(increase(mailprobe_node_downtime_seconds_total{${NODE}}[$__range]))`, 'A', { instant: true })],
    { fieldConfig: { defaults: { unit: 's', thresholds: thresholds([['green', null], ['red', 1]]) }, overrides: [] },
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'none', textMode: 'value', orientation: 'auto', justifyMode: 'auto', wideLayout: true, showPercentChange: false, percentChangeColorMode: 'standard' } }),
  panel('table', 'Budget this node consumed', { h: 4, w: 8, x: 16, y: 1 },
    [target(`max by (sloth_slo) (slo:period_error_budget_consumed_by_node:ratio{sloth_service="mailprobe", ${NODE}})`, 'A', { instant: true, format: 'table' })],
    { description: 'Its share of each SLO\'s period budget: 0 everywhere means every incident of this node was absorbed.',
      fieldConfig: { defaults: { unit: 'percentunit', decimals: 2, custom: { align: 'auto', cellOptions: { type: 'color-text' }, inspect: false }, thresholds: thresholds([['green', null], ['red', 0.0001]]) }, overrides: [] },
      options: { showHeader: true, cellHeight: 'sm', frameIndex: 0 },
      transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { sloth_slo: 'SLO', Value: 'budget consumed' } } }] }),
  panel('state-timeline', 'Events and their impact', { h: 5, w: 24, x: 0, y: 5 }, [
    target(`min(mailprobe_node_up{${NODE}})`, 'A', { legendFormat: 'node state' }),
    target(`sum by (slo) (increase(mailprobe_sli_events_total{${NODE}, result="bad"}[$__rate_interval]) > bool 0)`, 'B', { legendFormat: 'customers hit ({{slo}})' })],
    { description: 'The DOWN stretches of this node, and whether its SLI events on the customer path failed meanwhile (red: customers saw it; none: absorbed).',
      fieldConfig: { defaults: { thresholds: thresholds([['green', null], ['red', 1]]), color: { mode: 'thresholds' }, custom: { lineWidth: 0, fillOpacity: 80 } }, overrides: [
        { matcher: { id: 'byName', options: 'node state' }, properties: [{ id: 'mappings', value: upDownMappings }, { id: 'thresholds', value: thresholds([['red', null], ['green', 1]]) }] }] },
      options: { showValue: 'never', mergeValues: true, rowHeight: 0.9, alignValue: 'left', legend: { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] }, tooltip: { mode: 'single', sort: 'none' } } }),
  panel('timeseries', 'Phase timings p95 by protocol', { h: 8, w: 12, x: 0, y: 10 },
    [target(`histogram_quantile(0.95, sum by (protocol, phase, le) (rate(mailprobe_probe_duration_seconds_bucket{${NODE}, phase!="total"}[$__rate_interval])))`, 'A', { legendFormat: '{{protocol}} {{phase}}' })],
    { description: 'connect, tls, greeting, auth, transaction, quit (mailprobe_probe_duration_seconds).',
      fieldConfig: { defaults: { unit: 's', custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 0, showPoints: 'never', spanNulls: true } }, overrides: [] },
      options: { legend: { showLegend: true, displayMode: 'table', placement: 'right', calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } } }),
  panel('timeseries', 'Probe duration (total) p50 / p99', { h: 8, w: 12, x: 12, y: 10 }, [
    target(`histogram_quantile(0.5, sum by (protocol, le) (rate(mailprobe_probe_duration_seconds_bucket{${NODE}, phase="total"}[$__rate_interval])))`, 'A', { legendFormat: 'p50 {{protocol}}' }),
    target(`histogram_quantile(0.99, sum by (protocol, le) (rate(mailprobe_probe_duration_seconds_bucket{${NODE}, phase="total"}[$__rate_interval])))`, 'B', { legendFormat: 'p99 {{protocol}}' })],
    { fieldConfig: { defaults: { unit: 's', custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 0, showPoints: 'never', spanNulls: true } }, overrides: [] },
      options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] }, tooltip: { mode: 'multi', sort: 'desc' } } }),
  panel('timeseries', 'Failure reasons', { h: 8, w: 12, x: 0, y: 18 },
    [target(`sum by (protocol, result) (increase(mailprobe_probes_total{${NODE}, result!="success"}[$__rate_interval]))`, 'A', { legendFormat: '{{protocol}} {{result}}' })],
    { description: 'Failed probes by reason: refused, timeout, tls_error, auth_failed, rejected, protocol_error, dns_error, io_error.',
      fieldConfig: { defaults: { unit: 'short', decimals: 0, custom: { drawStyle: 'bars', lineWidth: 1, fillOpacity: 80, showPoints: 'never', stacking: { mode: 'normal', group: 'A' } } }, overrides: [] },
      options: { legend: { showLegend: true, displayMode: 'table', placement: 'right', calcs: ['sum'] }, tooltip: { mode: 'multi', sort: 'desc' } } }),
  panel('table', 'DOWN events in range by reason', { h: 8, w: 12, x: 12, y: 18 },
    [target(`sum by (reason) (increase(mailprobe_node_down_events_total{${NODE}}[$__range])) > 0`, 'A', { instant: true, format: 'table' })],
    { description: 'Each event\'s evidence (transcript, reply, timings) and its exact budget: the status page and /api/events.',
      fieldConfig: { defaults: { decimals: 0, custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: false } }, overrides: [] },
      options: { showHeader: true, cellHeight: 'sm', frameIndex: 0 },
      transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: 'DOWN events' } } }] }),
  panel('timeseries', 'Probe connections and backoff', { h: 7, w: 12, x: 0, y: 26 }, [
    target(`max(mailprobe_probe_connections{${NODE}})`, 'A', { legendFormat: 'open connections' }),
    target(`max(mailprobe_probe_backoff_factor{${NODE}})`, 'B', { legendFormat: 'backoff factor' }),
    target(`sum(increase(mailprobe_probe_overruns_total{${NODE}}[$__rate_interval]))`, 'C', { legendFormat: 'overruns' })],
    { description: 'The prober\'s own load on this node (bounded per node), its backoff on a sick node (1 healthy, up to 4), and probes still running at their next slot.',
      fieldConfig: { defaults: { unit: 'short', custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 0, showPoints: 'never', spanNulls: true } }, overrides: [] },
      options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] }, tooltip: { mode: 'multi', sort: 'none' } } }),
  panel('table', 'TLS certificate expiry', { h: 7, w: 12, x: 12, y: 26 },
    [target(`min by (protocol) (mailprobe_tls_certificate_expiry_timestamp_seconds{${NODE}}) - time()`, 'A', { instant: true, format: 'table' })],
    { description: 'Time left until the certificate the node presented expires (empty: no TLS on that protocol).',
      fieldConfig: { defaults: { unit: 's', custom: { align: 'auto', cellOptions: { type: 'color-text' }, inspect: false }, thresholds: thresholds([['red', null], ['orange', 604800], ['green', 2592000]]) }, overrides: [] },
      options: { showHeader: true, cellHeight: 'sm', frameIndex: 0 },
      transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: 'expires in' } } }] })
];
const node = dashboard('mailprobe-node', 'mailprobe — node',
  'One node: phase timings, failure reasons, the prober\'s load and backoff, TLS expiry, DOWN events and their impact.', nodePanels, false, '$node');

const out = [['dashboards/mailprobe-availability.json', availability], ['dashboards/mailprobe-node.json', node]];
let stale = false;
for (const [path, d] of out) {
  const text = JSON.stringify(d, null, 2) + '\n';
  if (process.argv.includes('--check')) {
    let current = '';
    try { current = readFileSync(resolve(root, path), 'utf8'); } catch { /* missing */ }
    if (current !== text) { console.error(`${path} is not what tools/dashboards/build.mjs builds: run node tools/dashboards/build.mjs`); stale = true; }
  } else {
    writeFileSync(resolve(root, path), text);
    console.log('wrote ' + path);
  }
}
process.exit(stale ? 1 : 0);
