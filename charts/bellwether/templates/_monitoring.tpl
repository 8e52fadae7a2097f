{{/*
Labels of the monitoring objects: the chart's standard labels, then
monitoring.labels, then the object's own `labels` (passed as .extra).
Usage: include "bellwether.monitoringLabels" (dict "root" $ "extra" .Values.monitoring.podMonitor.labels)
*/}}
{{- define "bellwether.monitoringLabels" -}}
{{- $std := dict
  "app.kubernetes.io/name" "bellwether"
  "app.kubernetes.io/instance" .root.Release.Name
  "app.kubernetes.io/version" .root.Chart.AppVersion
  "app.kubernetes.io/managed-by" .root.Release.Service
  "app.kubernetes.io/component" "monitoring"
  "helm.sh/chart" (printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_") -}}
{{- toYaml (merge (dict) (.extra | default dict) (.root.Values.monitoring.labels | default dict) $std) }}
{{- end }}
