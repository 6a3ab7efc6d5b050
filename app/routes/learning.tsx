// /learning — "My learning": the person's enrolments with progress and where to continue. The list
// is a plain component (app/components/my-learning.tsx), so a personal template can render it too.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { MyLearningBody } from '~/components/my-learning'
import { requireUser } from '~/modules/auth/request.server'
import { learningOverview } from '~/modules/learning/overview.server'
import { useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { PersonalHtml } from '~/utils/personal-template'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false, personal: true }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.learning.my.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return learningOverview({ userId: user.id })
}

export default function MyLearning() {
  const overview = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  return <PersonalHtml name="myLearning" render={() => <MyLearningBody overview={overview} m={m} locale={locale} />} />
}
