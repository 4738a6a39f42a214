/**
 * `huxin <command>` — the command line, thin over the same services the API uses.
 * Exit status 0 on success, non-zero on failure with the reason on stderr (INTERFACES.md).
 */
export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    default:
      process.stderr.write(`用法: huxin <import|report|serve|token> …\n未知命令: ${command ?? '(无)'}\n`);
      return 2;
  }
}
