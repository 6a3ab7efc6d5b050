// /courses/:course/:lesson/source — the lesson's MDX as plain UTF-8 text, to read, copy and reuse.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLessonSource } from '~/modules/content/service.server'
import { throwAsResponse } from '~/utils/responses.server'
import { lessonParams } from '~/utils/params.server'

export async function loader({ params }: LoaderFunctionArgs) {
  try {
    const { text, fileName } = await getLessonSource(lessonParams(params))
    return new Response(text, {
      headers: {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Disposition': `inline; filename="${fileName}"`,
        'Cache-Control': 'public, max-age=300',
      },
    })
  } catch (error) {
    throwAsResponse(error)
  }
}
