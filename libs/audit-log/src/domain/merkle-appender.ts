import { foldRange, frontierOf, HashedNode, hashChildren, nodeKey } from './merkle';

/**
 * Appends leaves to a Merkle tree knowing only its right edge (a "compact range"): the complete
 * subtrees the current size decomposes into, largest first. Each append yields the complete
 * subtrees it finishes, which the log stores; nothing else of the tree is needed in memory, so
 * appending costs one leaf hash plus, on average, one node hash, whatever the size.
 */
export class MerkleAppender {
  private nodes: HashedNode[];
  private leaves: number;

  constructor(size: number, frontier: readonly HashedNode[]) {
    const expected = frontierOf(size).map(nodeKey).join(',');
    const given = frontier.map(nodeKey).join(',');
    if (expected !== given) {
      throw new Error(`a tree of ${size} leaves ends in subtrees [${expected}], not [${given}]`);
    }
    this.leaves = size;
    this.nodes = [...frontier];
  }

  static empty(): MerkleAppender {
    return new MerkleAppender(0, []);
  }

  get size(): number {
    return this.leaves;
  }

  /** The right edge now: what a later append (or another process) starts from. */
  get frontier(): readonly HashedNode[] {
    return this.nodes;
  }

  /** Appends one leaf by its hash; returns the complete subtrees of level ≥ 1 it completes. */
  append(leafHash: Buffer): HashedNode[] {
    const completed: HashedNode[] = [];
    let node: HashedNode = { level: 0, index: this.leaves, hash: leafHash };
    // Equal neighbours at the edge merge: the binary carry of size + 1.
    while (this.nodes.length > 0 && this.nodes[this.nodes.length - 1].level === node.level) {
      const left = this.nodes.pop() as HashedNode;
      node = { level: node.level + 1, index: left.index / 2, hash: hashChildren(left.hash, node.hash) };
      completed.push(node);
    }
    this.nodes.push(node);
    this.leaves++;
    return completed;
  }

  root(): Buffer {
    return foldRange(this.nodes.map((node) => node.hash));
  }

  copy(): MerkleAppender {
    return new MerkleAppender(this.leaves, this.nodes);
  }
}
