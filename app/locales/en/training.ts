import type { Messages } from '../types'

export const training: Messages['training'] = {
  errors: {
    invalid: 'The form is not valid.',
    agencyRequired: 'Choose the organising agency.',
    dateRequired: 'Enter the date as year-month-day.',
    datesOrder: 'The end date cannot be before the start date.',
    communeRequired: 'Enter the commune or ward where it is held.',
    villageTooLong: 'The village name is too long.',
    trainersTooLong: 'The list of trainers is too long.',
    topicRequired: 'Enter a topic or choose a course.',
    minutesRange: 'The duration is a number of minutes from 1 to 100000.',
    nameRequired: 'Enter the full name.',
    birthYearRange: 'The year of birth is four digits from 1900 to 2100.',
    villageRequired: 'Enter the village.',
    phoneInvalid: 'The phone number is not valid.',
    genderTooLong: 'The gender is too long.',
    ethnicityTooLong: 'The ethnicity is too long.',
    alreadyAttending: 'This person is already on the session list.',
    notFound: 'Training session not found.',
  },
}
