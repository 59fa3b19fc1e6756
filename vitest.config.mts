import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Vitest 5 prints failures with Map.groupBy, which Node 20 lacks.
const mapWithGroupBy = Map as unknown as { groupBy?: unknown };
mapWithGroupBy.groupBy ??= <K, V>(items: Iterable<V>, key: (item: V, index: number) => K) => {
  const groups = new Map<K, V[]>();
  let index = 0;
  for (const item of items) {
    const group = key(item, index++);
    groups.set(group, [...(groups.get(group) ?? []), item]);
  }
  return groups;
};

const root = fileURLToPath(new URL(".", import.meta.url));
const alias = {
  "@": root,
  // `server-only` throws outside React's server build; tests run lib code directly.
  "server-only": fileURLToPath(new URL("tests/support/empty.ts", import.meta.url)),
};

// Integration files that wait on servers of their own or on the collector, change no setting another file reads, and time
// nothing tighter than 2 s: three of them run at once (alerts-alertmanager, mostly waiting on alert rounds, and two
// more), sharing the same two apps. The rest (load, takeovers, tight timings, and any file not named here) run one at
// a time after them. Not sessions: its second app's 6 s idle timeout prunes the shared database's sessions, the other
// files' admins among them.
const sharingApps = [
  "alerts-alertmanager",
  "auth",
  "bad-input",
  "big-service",
  "config-center",
  "consul-api",
  "consul-source",
  "dataplanes-haproxy-metrics",
  "demo-haproxy",
  "encryption-at-rest",
  "etcd-sources",
  "eureka-api",
  "incidents",
  "nacos-api",
  "permission-matrix",
  "prometheus-quantile",
  "schema",
  "service-metrics-api",
  "service-status",
  "sso",
  "token-scopes",
  "topology-api",
  "zookeeper-adapter",
  "zookeeper-sources",
].map((name) => `tests/integration/${name}.test.ts`);
const integration = { globalSetup: ["tests/support/app-servers.ts"], testTimeout: 30_000, hookTimeout: 120_000 };

// alerts-alertmanager waits on alert rounds for over two minutes: started first, the other sharing files fill the other
// workers meanwhile; started last (Vitest orders a fresh clone's files by size), the run would wait on it alone.
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const sorted = await super.sort(files);
    const longest = (file: TestSpecification) => file.moduleId.endsWith("/alerts-alertmanager.test.ts");
    return [...sorted.filter(longest), ...sorted.filter((file) => !longest(file))];
  }
}

export default defineConfig({
  resolve: { alias },
  test: {
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts"],
          setupFiles: ["tests/support/unit-database.ts"],
          testTimeout: 15_000,
          // Two files at a time (Vitest's default on 2 cores is one): each has its own SQLite database and ports.
          maxWorkers: 2,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration-shared",
          include: sharingApps,
          ...integration,
          maxWorkers: 3,
          // After the unit files, before the files that run alone.
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...sharingApps],
          ...integration,
          fileParallelism: false,
        },
      },
    ],
  },
});
