{{/*
The chart's name, or nameOverride. Used in the app.kubernetes.io/name label.
*/}}
{{- define "mesos-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every object name: fullnameOverride, or the release name (when it already contains
the chart name), or "<release>-<chart>". 63 characters at most, the limit of a DNS label; object
names that add a suffix ("-mesos", "-metrics", "-leader") trim this to 52 first.
*/}}
{{- define "mesos-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
"<fullname>-<suffix>", with fullname shortened so the result stays a valid DNS label.
Call as: include "mesos-operator.suffixed" (list . "mesos")
*/}}
{{- define "mesos-operator.suffixed" -}}
{{- $root := index . 0 }}
{{- $suffix := index . 1 }}
{{- $max := sub 62 (len $suffix) | int }}
{{- printf "%s-%s" (include "mesos-operator.fullname" $root | trunc $max | trimSuffix "-") $suffix }}
{{- end }}

{{- define "mesos-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every object the chart renders.
*/}}
{{- define "mesos-operator.labels" -}}
helm.sh/chart: {{ include "mesos-operator.chart" . }}
{{ include "mesos-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mesos-operator
{{- end }}

{{/*
Labels that select the operator's pods (Deployment, Services, PodDisruptionBudget). Never change
them in an upgrade: a Deployment's selector is immutable.
*/}}
{{- define "mesos-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mesos-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The label the leading replica sets on its own pod (value "true") and removes when it stops
leading; the Mesos API Service selects on it, so only the leader receives Mesos API traffic.
*/}}
{{- define "mesos-operator.leaderLabel" -}}
mesos.operator.dev/leader
{{- end }}

{{- define "mesos-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mesos-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The Lease the replicas compete for, in the release namespace.
*/}}
{{- define "mesos-operator.leaseName" -}}
{{- default (include "mesos-operator.suffixed" (list . "leader")) .Values.leaderElection.leaseName }}
{{- end }}

{{- define "mesos-operator.mesosServiceName" -}}
{{- include "mesos-operator.suffixed" (list . "mesos") }}
{{- end }}

{{- define "mesos-operator.metricsServiceName" -}}
{{- include "mesos-operator.suffixed" (list . "metrics") }}
{{- end }}

{{/*
The image reference: repository, then "@digest" when a digest is set, else ":tag" (tag defaults to
the chart's appVersion).
*/}}
{{- define "mesos-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Checks that need more than one value, which values.schema.json cannot express with a readable
message. Included by the Deployment, so `helm template`, `install` and `upgrade` all stop here.
*/}}
{{- define "mesos-operator.validate" -}}
{{- if and (not .Values.leaderElection.enabled) (gt (int .Values.replicas) 1) }}
{{- fail (printf "replicas is %d but leaderElection.enabled is false: replicas would all allocate and offer the same resources. Enable leader election or set replicas to 1." (int .Values.replicas)) }}
{{- end }}
{{- if and .Values.mesosApi.authorization.enabled (not .Values.mesosApi.authorization.configMapName) }}
{{- fail "mesosApi.authorization.enabled is true but mesosApi.authorization.configMapName is empty: name the ConfigMap that holds the ACLs." }}
{{- end }}
{{- if and (ne .Values.mesosApi.frameworkNamespace.from "fixed") (not .Values.mesosApi.frameworkNamespace.map) }}
{{- fail (printf "mesosApi.frameworkNamespace.from is %s but mesosApi.frameworkNamespace.map is empty: map principals or roles to namespaces." .Values.mesosApi.frameworkNamespace.from) }}
{{- end }}
{{- if and .Values.mesosApi.authentication.enabled (not .Values.mesosApi.authentication.secretName) }}
{{- fail "mesosApi.authentication.enabled is true but mesosApi.authentication.secretName is empty: name the Secret that holds the framework credentials." }}
{{- end }}
{{- $lease := .Values.leaderElection }}
{{- if and $lease.enabled (ge (float64 $lease.renewDeadlineSeconds) (float64 $lease.leaseDurationSeconds)) }}
{{- fail (printf "leaderElection.renewDeadlineSeconds (%v) must be less than leaderElection.leaseDurationSeconds (%v): a leader must give up before a standby may take over." $lease.renewDeadlineSeconds $lease.leaseDurationSeconds) }}
{{- end }}
{{- if and $lease.enabled (ge (float64 $lease.retryPeriodSeconds) (float64 $lease.renewDeadlineSeconds)) }}
{{- fail (printf "leaderElection.retryPeriodSeconds (%v) must be less than leaderElection.renewDeadlineSeconds (%v): the leader must get more than one renewal attempt before its deadline." $lease.retryPeriodSeconds $lease.renewDeadlineSeconds) }}
{{- end }}
{{- if ge (int .Values.config.shutdownTimeoutSeconds) (int .Values.terminationGracePeriodSeconds) }}
{{- fail (printf "config.shutdownTimeoutSeconds (%d) must be less than terminationGracePeriodSeconds (%d): Kubernetes would kill the operator before it released the Lease." (int .Values.config.shutdownTimeoutSeconds) (int .Values.terminationGracePeriodSeconds)) }}
{{- end }}
{{- if not (regexMatch (include "mesos-operator.labelSelectorPattern" .) .Values.agentSelector) }}
{{- fail (printf "agentSelector %q is not a label selector in kubectl syntax, such as \"type=kwok,!gpu\" or \"zone in (a,b)\" (terms: key, !key, key=value, key!=value, key in (v1,v2), key notin (v1,v2), separated by commas)." .Values.agentSelector) }}
{{- end }}
{{- $ranges := .Values.config.agentPortRanges }}
{{- if not (regexMatch `^\s*[0-9]+(\s*-\s*[0-9]+)?(\s*,\s*[0-9]+(\s*-\s*[0-9]+)?)*\s*$` $ranges) }}
{{- fail (printf "config.agentPortRanges %q is not a list of port ranges such as \"31000-32000\" or \"31000-32000,40000-40100\"." $ranges) }}
{{- end }}
{{- range $part := splitList "," $ranges }}
{{- $bounds := regexFindAll "[0-9]+" $part -1 }}
{{- $begin := first $bounds | atoi }}
{{- $end := last $bounds | atoi }}
{{- if or (lt $begin 1) (gt $end 65535) (gt $begin $end) }}
{{- fail (printf "config.agentPortRanges: %q is not a port range between 1 and 65535 with begin <= end." (trim $part)) }}
{{- end }}
{{- end }}
{{- if eq (int .Values.mesosApi.port) (int .Values.metrics.port) }}
{{- fail (printf "mesosApi.port and metrics.port are both %d: the Mesos API and the metrics/health server need different ports." (int .Values.metrics.port)) }}
{{- end }}
{{- end }}

{{/*
The kubectl label-selector syntax the operator's --agent-selector accepts
(controllers/cluster/labelSelector.ts; a unit test compares the two on a set of selectors):
comma-separated terms key, !key, key=value, key==value, key!=value, key in (v,...),
key notin (v,...). Lengths are left to the operator.
*/}}
{{- define "mesos-operator.labelSelectorPattern" -}}
{{- $name := `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?` }}
{{- $key := printf `([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?%s` $name }}
{{- $value := printf `(%s)?` $name }}
{{- $term := printf `\s*(!\s*%s|%s(\s*(==|=|!=)\s*%s|\s+(in|notin)\s*\(\s*%s(\s*,\s*%s)*\s*\))?)\s*` $key $key $value $name $value }}
{{- printf `^(%s(,%s)*)?$` $term $term }}
{{- end }}

{{/*
A number as the operator's flag parser reads it: whole numbers without an exponent (Helm holds
values.yaml numbers as float64, which print as 3.6e+06), fractions as they are (0.5).
*/}}
{{- define "mesos-operator.number" -}}
{{- if eq (float64 .) (float64 (int64 .)) }}{{ int64 . }}{{ else }}{{ . }}{{ end }}
{{- end }}

{{/*
The operator's environment: every setting as its MESOS_OPERATOR_* variable (controllers/config.ts
derives the names from its option names; a unit test checks the rendered variables against it).
Flags would do the same; variables keep `kubectl describe` readable and the command unchanged.
*/}}
{{- define "mesos-operator.env" -}}
# Downward API: the pod's own name and namespace. The name is this replica's identity in the
# Lease and in Events; with the namespace, the leader finds its own pod to label it.
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: MESOS_OPERATOR_IDENTITY
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: MESOS_OPERATOR_LEADER_ELECTION
  value: {{ .Values.leaderElection.enabled | quote }}
- name: MESOS_OPERATOR_LEASE_NAMESPACE
  value: {{ .Release.Namespace | quote }}
- name: MESOS_OPERATOR_LEASE_NAME
  value: {{ include "mesos-operator.leaseName" . | quote }}
- name: MESOS_OPERATOR_LEASE_DURATION_SECONDS
  value: {{ include "mesos-operator.number" .Values.leaderElection.leaseDurationSeconds | quote }}
- name: MESOS_OPERATOR_LEASE_RENEW_DEADLINE_SECONDS
  value: {{ include "mesos-operator.number" .Values.leaderElection.renewDeadlineSeconds | quote }}
- name: MESOS_OPERATOR_LEASE_RETRY_PERIOD_SECONDS
  value: {{ include "mesos-operator.number" .Values.leaderElection.retryPeriodSeconds | quote }}
- name: MESOS_OPERATOR_METRICS_PORT
  value: {{ include "mesos-operator.number" .Values.metrics.port | quote }}
- name: MESOS_OPERATOR_MESOS_API_PORT
  value: {{ include "mesos-operator.number" .Values.mesosApi.port | quote }}
{{- with .Values.agentSelector }}
- name: MESOS_OPERATOR_AGENT_SELECTOR
  value: {{ . | quote }}
{{- end }}
- name: MESOS_OPERATOR_LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
- name: MESOS_OPERATOR_AGENT_PORT_RANGES
  value: {{ .Values.config.agentPortRanges | quote }}
- name: MESOS_OPERATOR_MIN_ALLOCATABLE_RESOURCES
  value: {{ .Values.config.minAllocatableResources | quote }}
{{- range $key := list "allocationIntervalMs" "offerTimeoutSeconds" "defaultRefuseSeconds" "reconcileWorkers" "informerRelistSeconds" "informerResyncSeconds" "watchStallSeconds" "shutdownTimeoutSeconds" "maxCompletedFrameworks" "maxOffersPerEvent" }}
{{- $value := get $.Values.config $key }}
{{- if not (kindIs "invalid" $value) }}
- name: MESOS_OPERATOR_{{ regexReplaceAll "([A-Z])" $key "_${1}" | upper }}
  value: {{ include "mesos-operator.number" $value | quote }}
{{- end }}
{{- end }}
{{- if .Values.mesosApi.authentication.enabled }}
- name: MESOS_OPERATOR_AUTHENTICATE_HTTP_FRAMEWORKS
  value: "true"
- name: MESOS_OPERATOR_AUTHENTICATE_HTTP_OPERATORS
  value: {{ .Values.mesosApi.authentication.operators | default false | quote }}
- name: MESOS_OPERATOR_CREDENTIALS_FILE
  value: {{ printf "/etc/mesos-operator/credentials/%s" .Values.mesosApi.authentication.secretKey | quote }}
{{- end }}
{{- if .Values.mesosApi.authorization.enabled }}
- name: MESOS_OPERATOR_ACLS_FILE
  value: {{ printf "/etc/mesos-operator/acls/%s" .Values.mesosApi.authorization.configMapKey | quote }}
{{- end }}
{{- with .Values.mesosApi.frameworkNamespace }}
- name: MESOS_OPERATOR_FRAMEWORK_NAMESPACE_FROM
  value: {{ .from | quote }}
{{- if .namespace }}
- name: MESOS_OPERATOR_FRAMEWORK_NAMESPACE
  value: {{ .namespace | quote }}
{{- end }}
{{- if .map }}
{{- $pairs := list }}
{{- range $key, $namespace := .map }}
{{- $pairs = append $pairs (printf "%s=%s" $key $namespace) }}
{{- end }}
- name: MESOS_OPERATOR_FRAMEWORK_NAMESPACES
  value: {{ join "," $pairs | quote }}
{{- end }}
{{- end }}
{{- end }}
