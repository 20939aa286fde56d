{{/*
Expand the name of the chart.
*/}}
{{- define "mailprobe.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
A fully qualified app name, at most 52 characters: a StatefulSet's pods add "-<ordinal>" and the
controller-revision-hash label adds more, so the name stays well below the 63-character limit.
If the release name contains the chart name it is used as the full name.
*/}}
{{- define "mailprobe.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version as used by the chart label.
*/}}
{{- define "mailprobe.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "mailprobe.labels" -}}
helm.sh/chart: {{ include "mailprobe.chart" . }}
{{ include "mailprobe.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mailprobe
{{- with .Values.vantage }}
mailprobe.dev/vantage: {{ . | quote }}
{{- end }}
{{- end }}

{{/*
Selector labels.
*/}}
{{- define "mailprobe.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mailprobe.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The ServiceAccount's name.
*/}}
{{- define "mailprobe.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mailprobe.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The container image: repository@digest, or repository:tag (tag defaults to the appVersion).
*/}}
{{- define "mailprobe.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Paths inside the container.
*/}}
{{- define "mailprobe.configDir" -}}/etc/mailprobe/config{{- end }}
{{- define "mailprobe.configFile" -}}{{ include "mailprobe.configDir" . }}/mailprobe.yaml{{- end }}
{{- define "mailprobe.dataDir" -}}/var/lib/mailprobe{{- end }}
{{- define "mailprobe.secretFile" -}}{{ printf "%s/%s" (trimSuffix "/" .root.Values.secrets.mountPath) .key }}{{- end }}

{{/*
Whether the config needs secrets.existingSecret: accounts or a round trip are configured.
*/}}
{{- define "mailprobe.needsSecret" -}}
{{- if or .Values.config.accounts .Values.config.roundTrip }}true{{- end }}
{{- end }}

{{/*
The mailprobe configuration file (docs/CONFIG.md) rendered from .Values.config, with the keys
the chart owns: http, store, shard (count = replicaCount; each pod reads its own shard from
MAILPROBE_SHARD, its pod name), cluster, vantage, and the secrets as files.
*/}}
{{- define "mailprobe.config" -}}
{{- $c := .Values.config -}}
{{- if and (include "mailprobe.needsSecret" .) (not .Values.secrets.existingSecret) }}
{{- fail "secrets.existingSecret is required when config.accounts or config.roundTrip is set: create a Secret with the passwords and the token key and name it here (docs/DEPLOY.md#secrets)" }}
{{- end }}
# Rendered by the mailprobe Helm chart from its values; see docs/CONFIG.md. Do not edit in the cluster.
{{- with .Values.cluster }}
cluster: {{ . | quote }}
{{- end }}
{{- with .Values.vantage }}
vantage: {{ . | quote }}
{{- end }}
http:
  bind: 0.0.0.0
  port: {{ .Values.http.port }}
store:
  path: {{ include "mailprobe.dataDir" . }}/mailprobe.db
shard:
  count: {{ .Values.replicaCount }}
{{- $probe := deepCopy (default dict $c.probe) }}
{{- if and .Values.caBundle.existingConfigMap (not (hasKey $probe "caFile")) }}
{{- $_ := set $probe "caFile" (printf "%s/%s" (trimSuffix "/" .Values.caBundle.mountPath) .Values.caBundle.key) }}
{{- end }}
{{- with $probe }}
probe:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.accounts }}
accounts:
{{- range $name, $account := . }}
  {{ $name }}:
    username: {{ $account.username | quote }}
    passwordFile: {{ include "mailprobe.secretFile" (dict "root" $ "key" $account.passwordSecretKey) }}
{{- end }}
{{- end }}
nodes:
  {{- toYaml $c.nodes | nindent 2 }}
{{- with $c.entryPoints }}
entryPoints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.roundTrip }}
roundTrip:
  {{- toYaml (omit . "tokenKeySecretKey") | nindent 2 }}
  tokenKeyFile: {{ include "mailprobe.secretFile" (dict "root" $ "key" .tokenKeySecretKey) }}
{{- end }}
slos:
{{- if $c.slos }}
  {{- toYaml $c.slos | nindent 2 }}
{{- else }} []
{{- end }}
{{- with $c.knownJobs }}
knownJobs:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.health }}
health:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
The TCP ports mailprobe connects to: every configured port of the nodes and entry points, with the
protocol defaults of docs/CONFIG.md where none is given (smtp 25; submission 587, 465 with
implicit TLS; imap 143, 993; pop3 110, 995). One port per line, sorted, no duplicates.
*/}}
{{- define "mailprobe.mailPorts" -}}
{{- $ports := dict }}
{{- range concat (default list .Values.config.nodes) (default list .Values.config.entryPoints) }}
{{- range $protocol, $endpoint := .protocols }}
{{- $e := default dict $endpoint }}
{{- $tls := default (ternary "none" "starttls" (eq $protocol "smtp")) $e.tls }}
{{- $implicit := eq $tls "implicit" }}
{{- $default := 25 }}
{{- if eq $protocol "submission" }}{{ $default = ternary 465 587 $implicit }}{{ end }}
{{- if eq $protocol "imap" }}{{ $default = ternary 993 143 $implicit }}{{ end }}
{{- if eq $protocol "pop3" }}{{ $default = ternary 995 110 $implicit }}{{ end }}
{{- $_ := set $ports (printf "%05d" (int (default $default $e.port))) true }}
{{- end }}
{{- end }}
{{- range keys $ports | sortAlpha }}
{{ . | trimPrefix "0" | trimPrefix "0" | trimPrefix "0" | trimPrefix "0" }}
{{- end }}
{{- end }}
