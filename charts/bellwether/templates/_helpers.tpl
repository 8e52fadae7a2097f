{{/*
Names are fixed: the operator's RBAC (files/operator-rbac.yaml) grants access
by them, and the operator looks its Service, Secret, Lease and webhook
configuration up by them (operator/webhook/starter.ts, certs.ts, registration.ts).
*/}}
{{- define "bellwether.operatorName" -}}bellwether-operator{{- end }}
{{- define "bellwether.webhookService" -}}bellwether-webhook{{- end }}
{{- define "bellwether.webhookConfiguration" -}}bellwether-sidecar-injector{{- end }}
{{- define "bellwether.certManagerSecret" -}}bellwether-webhook-cert{{- end }}

{{- define "bellwether.labels" -}}
app.kubernetes.io/name: bellwether
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "bellwether.selectorLabels" -}}
app.kubernetes.io/name: bellwether
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "bellwether.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end }}

{{- define "bellwether.sidecarImage" -}}
{{- $repo := .Values.sidecar.image.repository | default .Values.image.repository -}}
{{- if and (not .Values.sidecar.image.repository) (not .Values.sidecar.image.tag) .Values.image.digest -}}
{{ $repo }}@{{ .Values.image.digest }}
{{- else -}}
{{ $repo }}:{{ .Values.sidecar.image.tag | default .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end }}

{{/* The restricted Pod Security Standard, for the operator and the test pod. */}}
{{- define "bellwether.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "bellwether.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}
