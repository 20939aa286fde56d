{{/*
The SLO recording rules of .Values.config.slos, as Prometheus rule groups: the same rules, in
the same order, as `mailprobe rules --config FILE` prints for the config this chart renders
(generator: dev.mailprobe.rules.SloRecordingRules, the first file of `mailprobe rules --out`; a
test of the chart asserts they are equal for the default and a full-featured values file). Sloth-compatible names, request-weighted from
mailprobe_sli_events_total, kept per cluster and vantage (so the shards of a release add up).

Per SLO: the error ratio over the burn-rate windows 5m 30m 1h 2h 6h 1d 3d and the SLO's period
(burn windows as long as the period or longer are dropped; shortest first, the period last), the same per node,
then for each burn-rate tier whose long window (1h 6h 1d 3d) is not longer than the period the
window's event count and each node's share of its bad events (what the alerts read), then the meta rules. The period is a whole number of days (values.schema.json).
*/}}
{{- define "mailprobe.recordingRules" -}}
{{- range .Values.config.slos }}
{{- $slo := .name }}
{{- $period := default "30d" .window }}
{{- $periodDays := int (trimSuffix "d" $period) }}
{{- $objective := toString .objective }}
{{- $windows := list }}
{{- range list (list "5m" 5) (list "30m" 30) (list "1h" 60) (list "2h" 120) (list "6h" 360) (list "1d" 1440) (list "3d" 4320) }}
{{- if and (ne (index . 0) $period) (lt (index . 1) (mul $periodDays 1440)) }}
{{- $windows = append $windows (index . 0) }}
{{- end }}
{{- end }}
{{- $windows = append $windows $period }}
{{- $labels := printf "sloth_id: mailprobe-%s\nsloth_service: mailprobe\nsloth_slo: %s" $slo $slo }}
{{- $sel := printf "{sloth_id=\"mailprobe-%s\", sloth_service=\"mailprobe\", sloth_slo=\"%s\"}" $slo $slo }}
{{- $perBudget := printf "/ on (sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio%s" $sel }}
- name: mailprobe-slo-recordings-{{ $slo }}
  rules:
  {{- range $windows }}
    - record: slo:sli_error:ratio_rate{{ . }}
      expr: |
        (sum by (cluster, vantage) (rate(mailprobe_sli_events_total{slo="{{ $slo }}",result="bad"}[{{ . }}])))
        /
        (sum by (cluster, vantage) (rate(mailprobe_sli_events_total{slo="{{ $slo }}"}[{{ . }}])))
      labels:
        {{- $labels | nindent 8 }}
        sloth_window: {{ . | quote }}
  {{- end }}
  {{- range $windows }}
    - record: slo:sli_error_by_node:ratio_rate{{ . }}
      expr: |
        sum by (cluster, vantage, node) (rate(mailprobe_sli_events_total{slo="{{ $slo }}",result="bad"}[{{ . }}]))
        / on (cluster, vantage) group_left
        sum by (cluster, vantage) (rate(mailprobe_sli_events_total{slo="{{ $slo }}"}[{{ . }}]))
      labels:
        {{- $labels | nindent 8 }}
        sloth_window: {{ . | quote }}
  {{- end }}
  {{- range list (list "1h" 60) (list "6h" 360) (list "1d" 1440) (list "3d" 4320) }}
  {{- if le (index . 1) (mul $periodDays 1440) }}
  {{- $w := index . 0 }}
    - record: slo:sli_events:increase{{ $w }}
      expr: {{ printf "sum by (cluster, vantage) (increase(mailprobe_sli_events_total{slo=\"%s\"}[%s]))" $slo $w | quote }}
      labels:
        {{- $labels | nindent 8 }}
        sloth_window: {{ $w | quote }}
    - record: slo:sli_error_share_by_node:ratio_rate{{ $w }}
      expr: |
        {{- printf "(slo:sli_error_by_node:ratio_rate%s%s > 0)\n/ ignoring (node) group_left\nslo:sli_error:ratio_rate%s%s" $w $sel $w $sel | nindent 8 }}
      labels:
        {{- $labels | nindent 8 }}
        sloth_window: {{ $w | quote }}
  {{- end }}
  {{- end }}
    - record: slo:objective:ratio
      expr: {{ printf "vector(%s)" $objective | quote }}
      labels:
        {{- $labels | nindent 8 }}
    - record: slo:error_budget:ratio
      expr: {{ printf "vector(1 - %s)" $objective | quote }}
      labels:
        {{- $labels | nindent 8 }}
    - record: slo:time_period:days
      expr: {{ printf "vector(%d)" $periodDays | quote }}
      labels:
        {{- $labels | nindent 8 }}
    - record: slo:current_burn_rate:ratio
      expr: |
        {{- printf "slo:sli_error:ratio_rate5m%s\n%s" $sel $perBudget | nindent 8 }}
      labels:
        {{- $labels | nindent 8 }}
    - record: slo:period_burn_rate:ratio
      expr: |
        {{- printf "slo:sli_error:ratio_rate%s%s\n%s" $period $sel $perBudget | nindent 8 }}
      labels:
        {{- $labels | nindent 8 }}
    - record: slo:period_error_budget_remaining:ratio
      expr: {{ printf "1 - slo:period_burn_rate:ratio%s" $sel | quote }}
      labels:
        {{- $labels | nindent 8 }}
    - record: slo:period_error_budget_consumed_by_node:ratio
      expr: |
        {{- printf "slo:sli_error_by_node:ratio_rate%s%s\n%s" $period $sel $perBudget | nindent 8 }}
      labels:
        {{- $labels | nindent 8 }}
    - record: sloth_slo_info
      expr: vector(1)
      labels:
        {{- $labels | nindent 8 }}
        sloth_mode: mailprobe-generated
        sloth_objective: {{ include "mailprobe.percent" $objective | quote }}
        sloth_window: {{ $period | quote }}
{{- end }}
{{- end }}

{{/*
An objective as a percentage written like Java's BigDecimal.movePointRight(2).stripTrailingZeros()
does: 0.999 -> 99.9, 0.99 -> 99, 0.9995 -> 99.95 (string arithmetic: float64 * 100 is not exact).
*/}}
{{- define "mailprobe.percent" -}}
{{- $parts := splitList "." . }}
{{- $frac := "" }}
{{- if gt (len $parts) 1 }}{{ $frac = index $parts 1 }}{{ end }}
{{- $frac = printf "%s00" $frac }}
{{- $int := regexReplaceAll "^0+" (printf "%s%s" (index $parts 0) (substr 0 2 $frac)) "" | default "0" }}
{{- $rest := regexReplaceAll "0+$" (substr 2 (len $frac) $frac) "" }}
{{- if $rest }}{{ printf "%s.%s" $int $rest }}{{ else }}{{ $int }}{{ end }}
{{- end }}
