{{/*
=============================================================================
 Helpers for the spreadops chart — CALLING CONVENTION (shared by all templates)
=============================================================================
Helpers that concern the whole release take the root context:

  {{ include "spreadops.name" $ }}          chart name (nameOverride aware)
  {{ include "spreadops.fullname" $ }}      release-qualified base name, <= 63 chars
  {{ include "spreadops.chart" $ }}         "<chart>-<version>" for helm.sh/chart

Helpers that concern ONE component take a dict with the root context and the
component name (one of: gateway, scanner, strategy, execution, controller, console,
sim, or any other short name such as "dashboards" / "monitoring" for shared objects):

  {{ include "spreadops.componentName"  (dict "context" $ "component" "gateway") }}
      -> "<fullname>-gateway"   (object names: Deployment, Service, SA, ...)
  {{ include "spreadops.labels"         (dict "context" $ "component" "gateway") }}
      -> full app.kubernetes.io/* set + helm.sh/chart + component + part-of
  {{ include "spreadops.selectorLabels" (dict "context" $ "component" "gateway") }}
      -> app.kubernetes.io/name, app.kubernetes.io/instance,
         app.kubernetes.io/component (immutable; use in selectors & pod labels)
  {{ include "spreadops.serviceAccountName" (dict "context" $ "component" "gateway") }}

Inside a `range`/`with` block always pass `$` (the root), never `.`.
All helpers emit YAML without a leading/trailing newline: use `nindent`.
Example:
  metadata:
    name: {{ include "spreadops.componentName" (dict "context" $ "component" "scanner") }}
    labels:
      {{- include "spreadops.labels" (dict "context" $ "component" "scanner") | nindent 4 }}
  spec:
    selector:
      matchLabels:
        {{- include "spreadops.selectorLabels" (dict "context" $ "component" "scanner") | nindent 8 }}
=============================================================================
*/}}

{{- define "spreadops.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "spreadops.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "spreadops.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* "<fullname>-<component>"; the fullname is truncated so the result fits 63 chars. */}}
{{- define "spreadops.componentName" -}}
{{- $full := include "spreadops.fullname" .context -}}
{{- printf "%s-%s" ($full | trunc (int (sub 62 (len .component)))) .component | trimSuffix "-" -}}
{{- end -}}

{{- define "spreadops.selectorLabels" -}}
app.kubernetes.io/name: {{ include "spreadops.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "spreadops.labels" -}}
helm.sh/chart: {{ include "spreadops.chart" .context }}
{{ include "spreadops.selectorLabels" . }}
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
app.kubernetes.io/part-of: spreadops
{{- with .context.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "spreadops.serviceAccountName" -}}
{{- include "spreadops.componentName" . -}}
{{- end -}}

{{/* The image reference: repository@digest, else repository:tag (tag defaults to appVersion). */}}
{{- define "spreadops.image" -}}
{{- $image := .Values.image -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default .Chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Base URL of a component's Service, as the other components call it. (dict "context" $ "component" "gateway") */}}
{{- define "spreadops.serviceUrl" -}}
{{- printf "http://%s:8080" (include "spreadops.componentName" .) -}}
{{- end -}}

{{/* The gateway's Lease name. Root context. */}}
{{- define "spreadops.gatewayLeaseName" -}}
{{- default (include "spreadops.componentName" (dict "context" . "component" "gateway")) .Values.gateway.leaseName -}}
{{- end -}}

{{/* The Secret holding the console's token (key `token`): console.existingSecret, else the chart's own. Root context. */}}
{{- define "spreadops.consoleTokenSecret" -}}
{{- default (printf "%s-token" (include "spreadops.componentName" (dict "context" . "component" "console"))) .Values.console.existingSecret -}}
{{- end -}}

{{/* The namespace whose Strategies and Trades the console shows: console.namespace, else the release's. Root context. */}}
{{- define "spreadops.consoleNamespace" -}}
{{- default .Release.Namespace .Values.console.namespace -}}
{{- end -}}

{{/* The controller's Lease name. Root context. */}}
{{- define "spreadops.controllerLeaseName" -}}
{{- default (include "spreadops.componentName" (dict "context" . "component" "controller")) .Values.controller.leaseName -}}
{{- end -}}

{{/* "true" when live trading is switched on (both opt-ins). Root context. */}}
{{- define "spreadops.live" -}}
{{- if and (eq .Values.tws.tradingMode "live") .Values.tws.liveTradingConfirmed -}}true{{- end -}}
{{- end -}}

{{/*
Refuses combinations that cannot work, with a message that says what to change. Root context.
Included once by every workload template (the output is empty).
*/}}
{{- define "spreadops.validate" -}}
{{- $tws := .Values.tws -}}
{{- if and (eq $tws.tradingMode "live") (not $tws.liveTradingConfirmed) -}}
{{- fail "tws.tradingMode=live needs the explicit opt-in tws.liveTradingConfirmed=true as well (live trading is off unless both are set)" -}}
{{- end -}}
{{- if and .Values.sim.enabled (eq $tws.tradingMode "live") -}}
{{- fail "tws.tradingMode=live cannot use the simulator (a paper account): set sim.enabled=false and tws.host to your TWS / IB Gateway" -}}
{{- end -}}
{{- if and .Values.sim.enabled (or $tws.host $tws.existingSecretKeys.host) -}}
{{- fail "sim.enabled=true connects the gateway to the simulator: set sim.enabled=false to use tws.host (or tws.existingSecretKeys.host)" -}}
{{- end -}}
{{- if and (not .Values.sim.enabled) (not $tws.host) (not $tws.existingSecretKeys.host) -}}
{{- fail "sim.enabled=false needs tws.host (or tws.existingSecret with tws.existingSecretKeys.host): where is your TWS / IB Gateway?" -}}
{{- end -}}
{{- if and (not .Values.sim.enabled) (ne (int64 .Values.clockOffsetSeconds) 0) -}}
{{- fail "clockOffsetSeconds shifts the platform's clock for the simulator only: set it to 0 with a real TWS" -}}
{{- end -}}
{{- if and (not $tws.existingSecret) (or $tws.existingSecretKeys.host $tws.existingSecretKeys.port $tws.existingSecretKeys.clientId) -}}
{{- fail "tws.existingSecretKeys are read from tws.existingSecret: name the Secret too" -}}
{{- end -}}
{{- $console := .Values.console -}}
{{- if $console.enabled -}}
{{- if and $console.ingress.enabled (not $console.ingress.host) -}}
{{- fail "console.ingress.enabled needs console.ingress.host (the host name the Ingress serves the console on)" -}}
{{- end -}}
{{- if and $console.namespace (ne $console.namespace .Release.Namespace) (not .Values.controller.watchAllNamespaces) -}}
{{- fail "console.namespace outside the release namespace needs controller.watchAllNamespaces=true (the console's RBAC follows the controller's scope)" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Pod-level settings shared by every Deployment: SA, security context, scheduling. (dict "context" $ "component" "x") */}}
{{- define "spreadops.podCommon" -}}
{{- $ctx := .context -}}
serviceAccountName: {{ include "spreadops.serviceAccountName" . }}
automountServiceAccountToken: {{ has .component (list "gateway" "controller" "console") }}
enableServiceLinks: false
securityContext:
  {{- toYaml $ctx.Values.podSecurityContext | nindent 2 }}
{{- with $ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $ctx.Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with $ctx.Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $ctx.Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Pod template metadata (labels + annotations). (dict "context" $ "component" "x") */}}
{{- define "spreadops.podMetadata" -}}
labels:
  {{- include "spreadops.labels" . | nindent 2 }}
{{- with .context.Values.podAnnotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Pod anti-affinity between the replicas of one component. (dict "context" $ "component" "x" "mode" "preferred|required") */}}
{{- define "spreadops.antiAffinity" -}}
{{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (include "spreadops.selectorLabels" . | fromYaml)) -}}
affinity:
  podAntiAffinity:
    {{- if eq .mode "required" }}
    requiredDuringSchedulingIgnoredDuringExecution:
      - {{- toYaml $term | nindent 8 }}
    {{- else }}
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          {{- toYaml $term | nindent 10 }}
    {{- end }}
{{- end -}}

{{/* Container-level settings shared by every container: image, security context, /tmp. Root context. */}}
{{- define "spreadops.containerCommon" -}}
image: {{ include "spreadops.image" . | quote }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
securityContext:
  {{- toYaml .Values.containerSecurityContext | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- end -}}

{{/* The /tmp emptyDir every pod mounts (the only writable path). Root context. */}}
{{- define "spreadops.volumes" -}}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end -}}

{{/* Probes on the named port `http`: liveness /healthz, readiness /readyz, startup /healthz. No context. */}}
{{- define "spreadops.probes" -}}
startupProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 2
  failureThreshold: 30
livenessProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /readyz
    port: http
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end -}}

{{/*
Environment every service shares: its port (8080 unless "port" says otherwise), log level/format,
the OTLP endpoint, and for the services that judge dates and trading windows ("clockOffset" true)
the clock offset.
(dict "context" $ "prefix" "SPREADOPS_GATEWAY" "portVar" "PORT" "port" 8080 "clockOffset" true)
*/}}
{{- define "spreadops.commonEnv" -}}
{{- $ctx := .context -}}
- name: {{ .prefix }}_{{ default "PORT" .portVar }}
  value: {{ default 8080 .port | toString | quote }}
- name: {{ .prefix }}_LOG_LEVEL
  value: {{ $ctx.Values.log.level | quote }}
- name: {{ .prefix }}_LOG_FORMAT
  value: {{ $ctx.Values.log.format | quote }}
{{- with $ctx.Values.otel.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- if .clockOffset }}
- name: {{ .prefix }}_CLOCK_OFFSET
  value: {{ $ctx.Values.clockOffsetSeconds | int64 | toString | quote }}
{{- end }}
{{- end -}}

{{/* Service of one component: port `http`, 8080 unless "port" says otherwise. (dict "context" $ "component" "x" "service" .Values.x.service "port" 8080) */}}
{{- define "spreadops.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "spreadops.componentName" . }}
  namespace: {{ .context.Release.Namespace }}
  labels:
    {{- include "spreadops.labels" . | nindent 4 }}
spec:
  type: {{ .service.type }}
  selector:
    {{- include "spreadops.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ default 8080 .port }}
      targetPort: http
      protocol: TCP
      {{- if and (eq .service.type "NodePort") .service.nodePort }}
      nodePort: {{ .service.nodePort }}
      {{- end }}
{{- end -}}

{{/* ServiceAccount of one component. (dict "context" $ "component" "x") */}}
{{- define "spreadops.serviceAccount" -}}
{{- if .context.Values.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "spreadops.serviceAccountName" . }}
  namespace: {{ .context.Release.Namespace }}
  labels:
    {{- include "spreadops.labels" . | nindent 4 }}
  {{- with .context.Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end -}}
{{- end -}}
