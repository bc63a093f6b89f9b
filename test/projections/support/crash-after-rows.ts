import {
  InsertQueryNode,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
  UpdateQueryNode,
} from 'kysely';

/**
 * Simulates a crash in the middle of a batch: once `afterInserts` row writes have happened, the
 * next row write that is not the first of its transaction throws, so the transaction dies after
 * it already wrote rows. Each batch opens with the checkpoint's UPDATE, which marks the
 * start of a transaction. Fires once.
 */
export class CrashAfterRows implements KyselyPlugin {
  crashes = 0;
  private inserts = 0;
  private insertsInTransaction = 0;

  constructor(private readonly afterInserts: number) {}

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (UpdateQueryNode.is(node)) this.insertsInTransaction = 0;
    if (InsertQueryNode.is(node)) {
      this.inserts++;
      this.insertsInTransaction++;
      if (this.crashes === 0 && this.inserts > this.afterInserts && this.insertsInTransaction >= 2) {
        this.crashes++;
        throw new Error('simulated crash after some rows of the batch were written');
      }
    }
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}
