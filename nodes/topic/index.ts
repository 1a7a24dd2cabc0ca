/** Topic rules in one place: validation and named wildcards, the dispatch trie, broker cover. */
export {
  extractCaptures,
  parseNamedFilter,
  splitSharedSubscription,
  subscriptionFilter,
  topicMatchesFilter,
  validateTopicFilter,
  validateTopicName,
  type Capture,
  type NamedFilter,
  type NamedFilterResult,
} from './filter.ts';
export { TopicTrie } from './trie.ts';
export { coverFilters, filterCovers, filtersOverlap } from './cover.ts';
