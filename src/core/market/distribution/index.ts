export {
  BarDistributor,
  type BarDistributorOptions,
  type BarHandler,
  type BarSubscription,
  type PausedInfo,
  type SubscribeOptions,
  type SubscriberStats,
} from './bar-distributor';
