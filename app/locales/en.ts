import { auth } from './en/auth'
import { certificates } from './en/certificates'
import { content } from './en/content'
import { classes } from './en/classes'
import { learning } from './en/learning'
import { reports } from './en/reports'
import { reminders } from './en/reminders'
import { offline } from './en/offline'
import { periods } from './en/periods'
import { training } from './en/training'
import { hr } from './en/hr'
import type { Messages } from './types'

export const en: Messages = {
  meta: {
    siteName: 'Bản Số',
    tagline: 'Digital skills for the civil servants, teachers and people of Lào Cai',
    description:
      'Bản Số is an open-source learning system for IT skills for the civil servants, teachers and people of Lào Cai province.',
  },
  layout: {
    skipToContent: 'Skip to main content',
    mainNav: 'Main navigation',
    home: 'Home',
    language: 'Language',
    switchTo: 'Tiếng Việt',
    switchToLabel: 'Switch to Vietnamese',
    footer: 'Bản Số — open-source software. Lessons under the CC BY 4.0 licence.',
  },
  home: {
    title: 'Digital skills, one step at a time',
    lead: 'Bản Số helps staff of provincial departments, communes and wards, school teachers and farmers learn and use IT in their daily work — on a phone, even on a weak connection.',
    programmesTitle: 'Programmes',
    programmes: {
      basic: {
        title: 'Basic computing',
        text: 'The six modules of the national basic IT-skills standard (IU01–IU06): computers, word processing, spreadsheets, presentations and the Internet.',
      },
      services: {
        title: 'Online public services',
        text: 'The VNeID electronic identity, applying and paying on the National Public Service Portal, and staying safe online.',
      },
      agriculture: {
        title: 'Digital agriculture',
        text: 'Selling farm products online, traceability stamps, weather and market-price information.',
      },
    },
    whoTitle: 'Who is it for?',
    who: {
      staff: 'Civil servants: learn to the national standard and receive verifiable certificates.',
      teachers: 'Teachers: reuse lessons in class, even where there is no internet.',
      hr: 'HR officers: follow how many staff of their agency have been trained.',
    },
    agenciesTitle: 'Agencies in the system',
    agenciesText: 'The system holds {total} agencies of the province: {departments} provincial departments and organisations, {wards} wards and {communes} communes.',
  },
  errors: {
    notFoundTitle: 'Page not found',
    notFoundText: 'The page you are looking for does not exist or has moved. Please check the address.',
    forbiddenTitle: 'You may not see this page',
    forbiddenText: 'If you think this is a mistake, contact your agency manager.',
    serverTitle: 'Something went wrong',
    serverText: 'The server ran into a problem. Please try again in a few minutes.',
    genericTitle: 'The request could not be completed',
    backHome: 'Back to the home page',
    statusLabel: 'Error code',
  },
  auth,
  content,
  learning,
  reports,
  reminders,
  certificates,
  classes,
  offline,
  periods,
  training,
  hr,
}
