export { EntityCodemieOverviewCard } from './EntityCodemieOverviewCard';
