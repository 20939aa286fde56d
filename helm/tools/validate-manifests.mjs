// Validates rendered Kubernetes manifests offline (no cluster): `helm template ... | node validate-manifests.mjs`
// or `node validate-manifests.mjs FILE`.
//
// Two checks per object, both from the npm packages kubernetes-models and
// @kubernetes-models/prometheus-operator (generated from the Kubernetes OpenAPI spec and the
// prometheus-operator CRDs):
//  1. the JSON-schema validation of the model class (types, required fields, enums, patterns);
//  2. unknown fields: the object is type-checked by the TypeScript compiler as a literal of the
//     model's interface, so a misspelt key (`readOnlyRootFilesytem`) is an error here as it is for
//     the API server's strict field validation, instead of being silently dropped.
//
// Prints one line per problem, `<kind>/<name>: <path>: <message>`, and "N objects valid" at the end;
// exits 1 if any object is invalid or of a kind it does not know.
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const input = process.argv[2] ? readFileSync(process.argv[2], "utf8") : readFileSync(0, "utf8");

/** The module of the model class of an apiVersion/kind. */
function modulePath(apiVersion, kind) {
  if (apiVersion.startsWith("monitoring.coreos.com/")) {
    return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  }
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const objects = [];
const problems = [];
const invalid = new Set();
function problem(o, message) {
  invalid.add(o);
  problems.push(`${o.kind}/${o.metadata?.name}: ${message}`);
}
for (const doc of parseAllDocuments(input)) {
  if (doc.errors.length > 0) {
    problems.push(`YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const o = doc.toJS();
  if (o == null) {
    continue; // an empty document (a template that rendered nothing)
  }
  objects.push(o);
}

for (const [i, o] of objects.entries()) {
  if (!o.apiVersion || !o.kind) {
    problem(o, `object ${i}: no apiVersion or kind`);
    continue;
  }
  let Model;
  try {
    Model = (await import(modulePath(o.apiVersion, o.kind)))[o.kind];
  } catch (e) {
    problem(o, `unknown apiVersion/kind ${o.apiVersion} ${o.kind} (${e.code ?? e.message})`);
    continue;
  }
  try {
    new Model(o).validate();
  } catch (e) {
    problem(o, e.message);
  }
  o.__module = modulePath(o.apiVersion, o.kind);
}

// unknown fields: `export const o0: IStatefulSet = {...};` must compile
const typed = objects.filter((o) => o.__module);
if (typed.length > 0) {
  const dir = mkdtempSync(join(tmpdir(), "mailprobe-manifests-"));
  try {
    let text = "";
    const starts = [];
    typed.forEach((o, i) => {
      const { __module, ...obj } = o;
      text += `import type { I${o.kind} as T${i} } from "${__module}";\n`;
      starts.push(text.length);
      text += `export const o${i}: T${i} = ${JSON.stringify(obj, null, 1)};\n`;
    });
    const file = join(dir, "manifests.ts");
    writeFileSync(file, text);
    const program = ts.createProgram([file], {
      noEmit: true,
      strict: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
      types: [],
      baseUrl: here,
      paths: { "*": [join(here, "node_modules", "*")] },
    });
    const source = program.getSourceFile(file);
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n").pop();
      if (d.file === source && d.start !== undefined) {
        let index = 0;
        while (index + 1 < starts.length && starts[index + 1] <= d.start) {
          index++;
        }
        problem(typed[index], `${pathAt(source, d.start)}: ${message}`);
      } else {
        problems.push(`TypeScript: ${message}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The JSON path (spec.template.spec.containers[0]) of the property at `pos` of the generated file. */
function pathAt(source, pos) {
  let node = source;
  for (;;) {
    const child = node.getChildren(source).find((c) => c.getStart(source) <= pos && pos < c.getEnd());
    if (!child) {
      break;
    }
    node = child;
  }
  const parts = [];
  for (let n = node; n && n.kind !== ts.SyntaxKind.VariableDeclaration; n = n.parent) {
    if (n.kind === ts.SyntaxKind.PropertyAssignment) {
      parts.unshift(n.name.text);
    } else if (n.parent && n.parent.kind === ts.SyntaxKind.ArrayLiteralExpression) {
      parts.unshift(`[${n.parent.elements.indexOf(n)}]`);
    }
  }
  return parts.join(".").replace(/\.\[/g, "[") || "(object)";
}

for (const p of problems) {
  console.log(p);
}
console.log(`${objects.length - invalid.size} of ${objects.length} objects valid`);
const kinds = {};
objects.forEach((o) => (kinds[o.kind] = (kinds[o.kind] ?? 0) + 1));
console.log(`kinds: ${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(", ")}`);
process.exit(problems.length === 0 ? 0 : 1);
