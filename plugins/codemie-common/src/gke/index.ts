export * from './allocatable';
export * from './systemReservation';
