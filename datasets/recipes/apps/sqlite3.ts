/**
 * `benchmark://apps-v0/sqlite3`: the SQLite command-line shell (the amalgamation `sqlite3.c` plus
 * `shell.c` from the autoconf tarball that npm `sqlite3` ships in `deps/`), running a generated SQL
 * script on an in-memory database: bulk inserts, indexes, joins, aggregates, window functions,
 * recursive CTEs, string and JSON functions, updates and triggers.
 */
import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { compileToBitcode, linkBitcode } from '../../../env/datasets/build';
import { npmPackage, untar } from '../../../env/datasets/npm';
import { BenchmarkBuildError } from '../../../env/errors';
import type { AppBuilder } from './types';

/** The npm package (pinned) whose `deps/` holds the SQLite autoconf tarball. */
export const SQLITE_NPM_SPEC = 'sqlite3@6.0.1';

/**
 * Unpacks the SQLite autoconf tarball shipped in npm `sqlite3` into `work` (once; later calls
 * reuse it) and returns its folder (holding `sqlite3.c`, `shell.c` and `autosetup/jimsh0.c`).
 * @throws BenchmarkBuildError when the package holds no such tarball.
 */
export function sqliteAutoconfDir(work: string): string {
  const pkg = npmPackage(SQLITE_NPM_SPEC, work);
  const deps = path.join(pkg, 'deps');
  const tarball = fs.readdirSync(deps).find((f) => /^sqlite-autoconf-\d+\.tar\.gz$/.test(f));
  if (!tarball) throw new BenchmarkBuildError(`${SQLITE_NPM_SPEC}: no sqlite-autoconf tarball in deps/`);
  const dir = path.join(work, 'sqlite-src', tarball.replace(/\.tar\.gz$/, ''));
  if (!fs.existsSync(path.join(dir, 'shell.c'))) untar(path.join(deps, tarball), path.dirname(dir));
  return dir;
}

/** Defines for both translation units: single-threaded, no extension loading, no readline. */
const SQLITE_FLAGS = ['-w', '-DSQLITE_THREADSAFE=0', '-DSQLITE_OMIT_LOAD_EXTENSION', '-DSQLITE_DEFAULT_MEMSTATUS=0'];

/** A seeded SQL script of about `scale` thousand order rows; deterministic for a given seed. */
export function sqliteScript(seed: string, scale: number): string {
  const rng = seedrandom(seed);
  const int = (n: number) => Math.floor(rng() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];
  const syll = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'an', 'el', 'or', 'us', 'be', 'di'];
  const word = (k: number) => Array.from({ length: k }, () => pick(syll)).join('');
  const cities = Array.from({ length: 40 }, () => word(3));
  const categories = ['tools', 'food', 'books', 'games', 'garden', 'music', 'office', 'sport'];
  const out: string[] = [];
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  out.push('.headers on', '.mode list', '.nullvalue NULL');
  out.push('PRAGMA foreign_keys=ON;');
  out.push('CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT, joined INTEGER, balance REAL);');
  out.push('CREATE TABLE product(id INTEGER PRIMARY KEY, name TEXT UNIQUE, category TEXT, price REAL, weight INTEGER);');
  out.push('CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER REFERENCES customer(id), product INTEGER REFERENCES product(id), qty INTEGER, day INTEGER, note TEXT);');
  out.push('CREATE TABLE audit(id INTEGER PRIMARY KEY, what TEXT, n INTEGER);');
  out.push("CREATE TRIGGER order_audit AFTER UPDATE OF qty ON orders BEGIN INSERT INTO audit(what, n) VALUES ('qty ' || new.id, new.qty - old.qty); END;");
  const nCustomers = 60 * scale;
  const nProducts = 300;
  const nOrders = 1000 * scale;
  out.push('BEGIN;');
  for (let i = 1; i <= nCustomers; i++) {
    out.push(`INSERT INTO customer VALUES(${i}, ${q(word(2) + ' ' + word(3))}, ${q(pick(cities))}, ${int(3650)}, ${(int(2000000) / 100 - 5000).toFixed(2)});`);
  }
  for (let i = 1; i <= nProducts; i++) {
    out.push(`INSERT INTO product VALUES(${i}, ${q(word(3) + '-' + i)}, ${q(pick(categories))}, ${(1 + int(50000) / 100).toFixed(2)}, ${1 + int(5000)});`);
  }
  for (let i = 1; i <= nOrders; i += 10) {
    const rows: string[] = [];
    for (let k = i; k < i + 10 && k <= nOrders; k++) {
      const note = rng() < 0.3 ? q(`${pick(['rush', 'gift', 'fragile', 'bulk', 'repeat'])} ${word(2)}`) : 'NULL';
      rows.push(`(${k}, ${1 + int(nCustomers)}, ${1 + int(nProducts)}, ${1 + int(20)}, ${int(365)}, ${note})`);
    }
    out.push(`INSERT INTO orders VALUES ${rows.join(', ')};`);
  }
  out.push('COMMIT;');
  out.push('CREATE INDEX orders_customer ON orders(customer);');
  out.push('CREATE INDEX orders_product_day ON orders(product, day);');
  out.push('CREATE INDEX customer_city ON customer(city);');
  out.push('ANALYZE;');
  out.push(`CREATE VIEW revenue AS SELECT o.customer AS customer, o.day AS day, o.qty * p.price AS amount, p.category AS category
  FROM orders o JOIN product p ON p.id = o.product;`);
  out.push('SELECT count(*), sum(qty), min(day), max(day) FROM orders;');
  out.push(`SELECT c.city, count(DISTINCT c.id) AS customers, printf('%.2f', sum(r.amount)) AS total
  FROM customer c JOIN revenue r ON r.customer = c.id GROUP BY c.city ORDER BY sum(r.amount) DESC, c.city LIMIT 15;`);
  out.push(`SELECT category, day / 30 AS month, printf('%.2f', sum(amount)) FROM revenue GROUP BY 1, 2 ORDER BY 1, 2;`);
  out.push(`SELECT name, total, rnk FROM (SELECT c.name AS name, printf('%.2f', sum(r.amount)) AS total,
  rank() OVER (PARTITION BY c.city ORDER BY sum(r.amount) DESC, c.id) AS rnk FROM customer c JOIN revenue r ON r.customer = c.id GROUP BY c.id)
  WHERE rnk <= 2 ORDER BY name LIMIT 40;`);
  out.push(`SELECT day, printf('%.2f', sum(amount)) AS d, printf('%.2f', sum(sum(amount)) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)) AS week
  FROM revenue GROUP BY day ORDER BY day LIMIT 60;`);
  out.push(`WITH RECURSIVE collatz(start, n, steps) AS (
  SELECT value, value, 0 FROM generate_series(1, ${400 * scale})
  UNION ALL SELECT start, CASE WHEN n % 2 = 0 THEN n / 2 ELSE 3 * n + 1 END, steps + 1 FROM collatz WHERE n > 1)
SELECT start, max(steps) FROM collatz GROUP BY start ORDER BY max(steps) DESC, start LIMIT 10;`);
  out.push(`SELECT upper(substr(name, 1, 3)) AS prefix, count(*), group_concat(DISTINCT city) FROM customer
  WHERE name LIKE '%a%' AND instr(name, 'o') > 0 GROUP BY prefix HAVING count(*) > 2 ORDER BY count(*) DESC, prefix LIMIT 25;`);
  out.push(`SELECT p.name, (SELECT count(*) FROM orders o WHERE o.product = p.id AND o.day BETWEEN 100 AND 200) AS n
  FROM product p WHERE p.category IN ('food', 'books') ORDER BY n DESC, p.name LIMIT 20;`);
  out.push(`SELECT c.id, c.name FROM customer c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer = c.id) ORDER BY c.id LIMIT 20;`);
  out.push(`SELECT json_group_array(json_object('id', id, 'city', city)) FROM (SELECT id, city FROM customer ORDER BY balance DESC, id LIMIT 12);`);
  out.push(`SELECT replace(note, ' ', '_') AS n, count(*) FROM orders WHERE note GLOB 'r*' GROUP BY n ORDER BY count(*) DESC, n LIMIT 15;`);
  out.push('BEGIN;');
  out.push('UPDATE orders SET qty = qty + 1 WHERE day % 7 = 3 AND qty < 10;');
  out.push(`UPDATE customer SET balance = round(balance * 1.05, 2) WHERE city IN (SELECT city FROM customer GROUP BY city ORDER BY count(*) DESC LIMIT 5);`);
  out.push('DELETE FROM orders WHERE note LIKE \'%bulk%\' AND qty > 15;');
  out.push('COMMIT;');
  out.push('SELECT count(*), sum(n) FROM audit;');
  out.push(`SELECT ntile(4) OVER (ORDER BY balance) AS quartile, count(*) OVER (PARTITION BY city) AS in_city, name FROM customer ORDER BY balance DESC, id LIMIT 25;`);
  out.push(`SELECT o.customer, count(*) AS n, printf('%.3f', avg(o.qty)), max(p.weight) FROM orders o JOIN product p ON p.id = o.product
  GROUP BY o.customer HAVING n >= 3 ORDER BY n DESC, o.customer LIMIT 20;`);
  out.push(`SELECT a.city, b.city, count(*) FROM customer a JOIN customer b ON a.joined = b.joined AND a.id < b.id
  GROUP BY a.city, b.city ORDER BY count(*) DESC, a.city, b.city LIMIT 10;`);
  out.push('SELECT sum(length(name)), hex(sum(id * id)), total(balance) FROM customer;');
  out.push('PRAGMA integrity_check;');
  return out.join('\n') + '\n';
}

/** SQLite shell (`sqlite3.c` + `shell.c`) running a generated SQL script from stdin on `:memory:`. */
export const sqlite3App: AppBuilder = {
  id: 'sqlite3',
  description: 'SQLite 3.52 shell running a generated SQL script (inserts, indexes, joins, window functions, CTEs) on an in-memory database',
  license: 'Public domain (SQLite)',
  origin: `npm:${SQLITE_NPM_SPEC}`,
  debianPackages: [],
  async build(ctx) {
    const src = sqliteAutoconfDir(ctx.work);
    const obj = path.join(ctx.work, 'sqlite3-bc');
    fs.mkdirSync(obj, { recursive: true });
    const units = ['sqlite3.c', 'shell.c'].map((f) => {
      const out = path.join(obj, f.replace(/\.c$/, '.bc'));
      compileToBitcode(ctx.llvm, path.join(src, f), out, [...SQLITE_FLAGS, `-I${src}`]);
      return out;
    });
    linkBitcode(ctx.llvm, units, path.join(ctx.dir, 'sqlite3.bc'));
    fs.mkdirSync(path.join(ctx.dir, 'sqlite3'), { recursive: true });
    fs.writeFileSync(path.join(ctx.dir, 'sqlite3', 'bench.sql'), sqliteScript('passgym-sqlite3', 5));
    return {
      args: ['-batch', ':memory:'],
      inputs: {},
      linkArgs: ['-lm'],
      stdin: 'sqlite3/bench.sql',
      timeoutSeconds: 60,
      compare: 'stdout-and-status',
      outputFiles: [],
    };
  },
};
