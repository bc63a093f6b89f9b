import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimDemoFolder, DEMO_MARKER, DemoRefusal, folderVerdict } from '../../tools/demo/demo-folder';

describe('the demo folder', () => {
  it.each([
    { entries: [], fresh: false, action: 'use' },
    { entries: [], fresh: true, action: 'use' },
    { entries: [DEMO_MARKER, 'salur.db'], fresh: true, action: 'clear' },
    { entries: [DEMO_MARKER, 'salur.db'], fresh: false, action: 'refuse' },
    { entries: ['salur.db'], fresh: false, action: 'refuse' },
    // --fresh never empties a folder the demo did not make (a mistyped --dir, the service's ./data).
    { entries: ['salur.db'], fresh: true, action: 'refuse' },
  ])('$entries with fresh=$fresh: $action', ({ entries, fresh, action }) => {
    expect(folderVerdict(entries, fresh, 'here').action).toBe(action);
  });

  describe('claimed on disk', () => {
    let root: string;
    beforeEach(async () => {
      root = await mkdtemp(join(tmpdir(), 'salur-demo-folder-'));
    });
    afterEach(() => rm(root, { recursive: true, force: true }));

    it('is made and marked, then refused to a second run, then cleared by --fresh', async () => {
      const folder = join(root, 'demo');
      await claimDemoFolder(folder, false, folder);
      await writeFile(join(folder, 'salur.db'), 'an earlier ledger');
      await expect(claimDemoFolder(folder, false, folder)).rejects.toThrow(/--fresh/);
      await claimDemoFolder(folder, true, folder);
      expect(await readdir(folder)).toEqual([DEMO_MARKER]);
    });

    it('leaves a folder of someone else untouched, even with --fresh', async () => {
      await writeFile(join(root, 'salur.db'), 'the real ledger');
      await expect(claimDemoFolder(root, true, root)).rejects.toBeInstanceOf(DemoRefusal);
      expect(await readdir(root)).toEqual(['salur.db']);
    });
  });
});
