// A certificate for a learner already enrolled in the fixture course: a passed attempt, its
// completion, and the certificate issued from it in one transaction, as the quiz would.
import type { PrismaClient } from '@prisma/client'
import { issueCertificate } from '~/modules/certificate/issue.server'

export async function issuePassedCertificate(prisma: PrismaClient, userId: string, courseSlug = 'khoa-thu') {
  const course = await prisma.course.findUniqueOrThrow({ where: { slug: courseSlug } })
  const enrolment = await prisma.enrolment.findFirstOrThrow({ where: { userId, courseId: course.id } })
  const number = (await prisma.quizAttempt.count({ where: { enrolmentId: enrolment.id } })) + 1
  const passed = await prisma.quizAttempt.create({
    data: { enrolmentId: enrolment.id, userId, courseId: course.id, number, draw: {}, contentVersion: '1.0.0', status: 'SUBMITTED', passed: true, scorePercent: 100, submittedAt: new Date() },
  })
  const completion = await prisma.courseCompletion.create({ data: { enrolmentId: enrolment.id, attemptId: passed.id } })
  return prisma.$transaction((tx) => issueCertificate(tx, completion.id))
}
