export {
  LoadingSkeleton,
  NotACodemieEnvironment,
  StatusError,
} from './StatusStates';
