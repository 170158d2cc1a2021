// Unknown fields and enum values, checked against the type declarations (.d.ts) that
// kubernetes-models and @kubernetes-models/prometheus-operator ship beside their JSON schemas.
// The schemas come from Kubernetes' OpenAPI documents, which leave objects open to any extra
// field, so `readinesProbe` passes them (and the API server would drop it without a word); the
// declarations list every field of every object, and each enum as a union of string literals.
'use strict';

const fs = require('fs');
const path = require('path');

const nodeModules = path.join(__dirname, 'node_modules');

// --- reading declarations ------------------------------------------------------------------

const tokenPattern = new RegExp([
  /\s+/.source,
  /\/\*[\s\S]*?\*\//.source,
  /\/\/[^\n]*/.source,
  /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/.source, // 1: string
  /([A-Za-z_$][\w$]*)/.source, // 2: identifier
  /(-?\d+(?:\.\d+)?)/.source, // 3: number
  /(\.\.\.|=>|[{}()[\]<>;:?|&,=.*])/.source, // 4: punctuation
].join('|'), 'y');

function tokenize(text, file) {
  const tokens = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < text.length) {
    const at = tokenPattern.lastIndex;
    const m = tokenPattern.exec(text);
    if (!m)
      throw new Error(`${file}: cannot read the declarations at offset ${at}`);
    if (m[1] !== undefined)
      tokens.push({ kind: 'string', value: JSON.parse(m[1].startsWith("'") ? `"${m[1].slice(1, -1).replace(/"/g, '\\"')}"` : m[1]) });
    else if (m[2] !== undefined)
      tokens.push({ kind: 'name', value: m[2] });
    else if (m[3] !== undefined)
      tokens.push({ kind: 'number', value: Number(m[3]) });
    else if (m[4] !== undefined)
      tokens.push({ kind: 'punct', value: m[4] });
  }
  return tokens;
}

class Parser {
  constructor(tokens, file) {
    this.tokens = tokens;
    this.at = 0;
    this.file = file;
  }

  peek(offset = 0) { return this.tokens[this.at + offset]; }
  is(value, offset = 0) { const t = this.peek(offset); return t !== undefined && t.value === value && t.kind !== 'string'; }
  next() { return this.tokens[this.at++]; }

  expect(value) {
    const t = this.next();
    if (!t || t.value !== value)
      throw new Error(`${this.file}: expected '${value}', found '${t ? t.value : 'the end'}'`);
    return t;
  }

  skipBalanced(open, close) {
    let depth = 0;
    do {
      const t = this.next();
      if (!t)
        throw new Error(`${this.file}: unbalanced '${open}'`);
      if (t.kind === 'punct' && t.value === open)
        depth++;
      else if (t.kind === 'punct' && t.value === close)
        depth--;
    } while (depth > 0);
  }

  // The module's interfaces and type aliases, what it imports and under which names it exports.
  module() {
    const declarations = new Map();
    const imports = new Map(); // local name -> { from, name }
    const exportsAs = new Map(); // exported name -> local name
    while (this.at < this.tokens.length) {
      if (this.is('import')) {
        this.next();
        if (this.is('type'))
          this.next();
        const names = [];
        if (this.is('{')) {
          this.next();
          while (!this.is('}')) {
            const name = this.next().value;
            let local = name;
            if (this.is('as')) {
              this.next();
              local = this.next().value;
            }
            names.push([local, name]);
            if (this.is(','))
              this.next();
          }
          this.next();
        } else {
          while (!this.is('from'))
            this.next();
        }
        this.expect('from');
        const from = this.next().value;
        for (const [local, name] of names)
          imports.set(local, { from, name });
        if (this.is(';'))
          this.next();
        continue;
      }
      if (this.is('export') || this.is('declare')) {
        this.next();
        continue;
      }
      if (this.is('interface')) {
        this.next();
        const name = this.next().value;
        const bases = [];
        if (this.is('extends')) {
          this.next();
          while (!this.is('{')) {
            const t = this.next();
            if (t.kind === 'name')
              bases.push(t.value);
          }
        }
        const body = this.objectType();
        body.bases = bases;
        declarations.set(name, body);
        continue;
      }
      if (this.is('type') && this.peek(1) && this.peek(1).kind === 'name') {
        this.next();
        const name = this.next().value;
        if (this.is('<')) // generic aliases belong to @kubernetes-models/base, never read
          this.skipBalanced('<', '>');
        this.expect('=');
        declarations.set(name, this.type());
        if (this.is(';'))
          this.next();
        continue;
      }
      if (this.is('class')) {
        while (!this.is('{'))
          this.next();
        this.skipBalanced('{', '}');
        continue;
      }
      if (this.is('{')) { // export { A as B, C } [from "..."];
        this.next();
        const pairs = [];
        while (!this.is('}')) {
          const local = this.next().value;
          let exported = local;
          if (this.is('as')) {
            this.next();
            exported = this.next().value;
          }
          pairs.push([exported, local]);
          if (this.is(','))
            this.next();
        }
        this.next();
        if (this.is('from')) {
          this.next();
          const from = this.next().value;
          for (const [exported, local] of pairs) {
            imports.set(`${exported}`, { from, name: local });
            exportsAs.set(exported, exported);
          }
        } else {
          for (const [exported, local] of pairs)
            exportsAs.set(exported, local);
        }
        if (this.is(';'))
          this.next();
        continue;
      }
      this.next(); // anything else: const declarations, `export *`, stray semicolons
    }
    return { declarations, imports, exportsAs };
  }

  type() {
    if (this.is('|'))
      this.next();
    const members = [this.intersection()];
    while (this.is('|')) {
      this.next();
      members.push(this.intersection());
    }
    return members.length === 1 ? members[0] : { k: 'union', members };
  }

  intersection() {
    const members = [this.postfix()];
    while (this.is('&')) {
      this.next();
      members.push(this.postfix());
    }
    return members.length === 1 ? members[0] : { k: 'intersection', members };
  }

  postfix() {
    let type = this.primary();
    while (this.is('[')) {
      this.next();
      if (this.is(']')) {
        this.next();
        type = { k: 'array', of: type };
      } else { // indexed access, as in IDeployment["kind"]
        const key = this.next().value;
        this.expect(']');
        type = { k: 'indexed', of: type, key };
      }
    }
    return type;
  }

  primary() {
    const t = this.next();
    if (!t)
      throw new Error(`${this.file}: a type is missing at the end`);
    if (t.kind === 'string' || t.kind === 'number')
      return { k: 'literal', value: t.value };
    if (t.value === '{') {
      this.at--;
      return this.objectType();
    }
    if (t.value === '(') {
      const inner = this.type();
      this.expect(')');
      return inner;
    }
    if (t.kind !== 'name')
      throw new Error(`${this.file}: unexpected '${t.value}' in a type`);
    if (t.value === 'true' || t.value === 'false')
      return { k: 'literal', value: t.value === 'true' };
    if (['string', 'number', 'boolean', 'any', 'unknown', 'object', 'null', 'never', 'undefined'].includes(t.value))
      return { k: 'primitive', name: t.value };
    let name = t.value;
    while (this.is('.')) {
      this.next();
      name += `.${this.next().value}`;
    }
    const args = [];
    if (this.is('<')) {
      this.next();
      while (!this.is('>')) {
        args.push(this.type());
        if (this.is(','))
          this.next();
      }
      this.next();
    }
    if (name === 'Array' || name === 'ReadonlyArray')
      return { k: 'array', of: args[0] };
    if (name === 'Record')
      return { k: 'object', props: new Map(), index: args[1] };
    return { k: 'ref', name };
  }

  objectType() {
    this.expect('{');
    const props = new Map();
    let index = null;
    while (!this.is('}')) {
      if (this.is('[')) { // [key: string]: T
        this.next();
        this.next();
        this.expect(':');
        this.type();
        this.expect(']');
        this.expect(':');
        index = this.type();
      } else if (this.is('readonly') && !this.is(':', 1) && !this.is('?', 1)) {
        this.next();
        continue;
      } else {
        const key = this.next().value;
        let optional = false;
        if (this.is('?')) {
          this.next();
          optional = true;
        }
        if (this.is('(')) { // a method: not data
          this.skipBalanced('(', ')');
          if (this.is(':')) {
            this.next();
            this.type();
          }
        } else {
          this.expect(':');
          props.set(String(key), { type: this.type(), optional });
        }
      }
      if (this.is(';') || this.is(','))
        this.next();
    }
    this.next();
    return { k: 'object', props, index };
  }
}

// --- modules and names -----------------------------------------------------------------------

const modules = new Map();

function loadModule(file) {
  if (!modules.has(file)) {
    try {
      modules.set(file, new Parser(tokenize(fs.readFileSync(file, 'utf8'), file), file).module());
    } catch (e) {
      modules.set(file, e);
    }
  }
  const mod = modules.get(file);
  if (mod instanceof Error)
    throw mod;
  return mod;
}

function moduleFile(from, spec) {
  const base = spec.startsWith('.') ? path.resolve(path.dirname(from), spec) : path.join(nodeModules, spec);
  for (const candidate of [`${base}.d.ts`, path.join(base, 'index.d.ts')]) {
    if (fs.existsSync(candidate))
      return candidate;
  }
  throw new Error(`${from}: cannot find the declarations of '${spec}'`);
}

// Follows a name through aliases and imports to its declaration: { file, type }.
function lookup(file, name, seen = new Set()) {
  const key = `${file}#${name}`;
  if (seen.has(key))
    throw new Error(`${file}: '${name}' refers to itself`);
  seen.add(key);
  const mod = loadModule(file);
  if (mod.declarations.has(name))
    return { file, type: mod.declarations.get(name) };
  if (mod.imports.has(name)) {
    const { from, name: imported } = mod.imports.get(name);
    return lookup(moduleFile(file, from), imported, seen);
  }
  if (mod.exportsAs.has(name) && mod.exportsAs.get(name) !== name)
    return lookup(file, mod.exportsAs.get(name), seen);
  return null;
}

// TypeMeta and friends from @kubernetes-models/base: their fields are declared again in each
// kind's interface, so a base that cannot be read adds nothing.
function resolve(file, type) {
  while (type.k === 'ref') {
    const found = lookup(file, type.name);
    if (!found)
      return { file, type: { k: 'primitive', name: 'any' } };
    ({ file, type } = found);
  }
  return { file, type };
}

// --- checking values -------------------------------------------------------------------------

function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

function suggestion(key, known) {
  let best = null;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d <= 2 && (!best || d < best.d))
      best = { candidate, d };
  }
  return best ? ` (did you mean '${best.candidate}'?)` : '';
}

function describe(value) {
  if (value === null)
    return 'null';
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function fieldsOf(file, objectType) {
  const props = new Map(objectType.props);
  let index = objectType.index;
  for (const base of objectType.bases || []) {
    let found;
    try {
      found = resolve(file, { k: 'ref', name: base });
    } catch (e) {
      continue; // TypeMeta's fields are declared in each kind again
    }
    if (found.type.k === 'object') {
      const inherited = fieldsOf(found.file, found.type);
      for (const [k, v] of inherited.props) {
        if (!props.has(k))
          props.set(k, v);
      }
      index = index || inherited.index;
    }
  }
  return { props, index };
}

function check(value, file, type, where, errors) {
  ({ file, type } = resolve(file, type));
  switch (type.k) {
  case 'primitive':
    if (type.name === 'any' || type.name === 'unknown')
      return;
    if (type.name === 'object') {
      if (value === null || typeof value !== 'object')
        errors.push(`${where}: must be an object, not ${describe(value)}`);
      return;
    }
    if (type.name === 'null' ? value !== null : typeof value !== type.name)
      errors.push(`${where}: must be a ${type.name}, not ${describe(value)}`);
    return;
  case 'literal':
    if (value !== type.value)
      errors.push(`${where}: must be ${JSON.stringify(type.value)}, not ${describe(value)}`);
    return;
  case 'array':
    if (!Array.isArray(value)) {
      errors.push(`${where}: must be a list, not ${describe(value)}`);
      return;
    }
    value.forEach((item, i) => check(item, file, type.of, `${where}[${i}]`, errors));
    return;
  case 'indexed': {
    const owner = resolve(file, type.of);
    const field = owner.type.k === 'object' && owner.type.props.get(type.key);
    if (field)
      check(value, owner.file, field.type, where, errors);
    return;
  }
  case 'union': {
    const members = type.members.map((m) => resolve(file, m));
    const literals = members.filter((m) => m.type.k === 'literal').map((m) => m.type.value);
    if (literals.length === members.length) {
      if (!literals.includes(value))
        errors.push(`${where}: ${describe(value)} is not one of ${literals.map((v) => JSON.stringify(v)).join(', ')}`);
      return;
    }
    let closest = null;
    for (const member of members) {
      const found = [];
      check(value, member.file, member.type, where, found);
      if (found.length === 0)
        return;
      if (!closest || found.length < closest.length)
        closest = found;
    }
    errors.push(...closest);
    return;
  }
  case 'intersection':
    for (const member of type.members)
      check(value, file, member, where, errors);
    return;
  case 'object': {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${where}: must be an object, not ${describe(value)}`);
      return;
    }
    const { props, index } = fieldsOf(file, type);
    for (const [key, item] of Object.entries(value)) {
      const at = where ? `${where}.${key}` : key;
      if (props.has(key))
        check(item, file, props.get(key).type, at, errors);
      else if (index)
        check(item, file, index, at, errors);
      else
        errors.push(`${at}: unknown field${suggestion(key, props.keys())}`);
    }
    return;
  }
  default:
    throw new Error(`${file}: cannot check a value against a type of kind '${type.k}'`);
  }
}

// Checks one object against the declaration of its kind; returns the findings (empty: none).
// `declaration` is the kind's .d.ts file, `name` its interface (IDeployment).
function checkStrictly(object, declaration, name) {
  const errors = [];
  check(object, declaration, { k: 'ref', name }, '', errors);
  return errors;
}

module.exports = { checkStrictly, loadModule, tokenize };
