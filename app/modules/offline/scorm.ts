// imsmanifest.xml of a SCORM 1.2 package (SCORM 1.2 Content Aggregation Model, IMS Content
// Packaging 1.1.2): one organization, one item per lesson, each lesson page a SCO; the stylesheet,
// scripts, licence page and media form one shared asset resource every SCO depends on.
import type { CourseDetail } from '~/modules/content/types'
import { escapeHtml, lessonFile, type PackLesson } from './page'

const xml = escapeHtml

/** xs:ID values: a letter first, then letters, digits, - _ . only. */
export function scormId(prefix: string, slug: string): string {
  return `${prefix}-${slug.replace(/[^A-Za-z0-9._-]/g, '_')}`
}

export function scormManifest({ course, lessons, files }: { course: CourseDetail; lessons: PackLesson[]; files: string[] }): string {
  const lessonFiles = new Set(lessons.map((l) => lessonFile(l.slug)))
  const shared = files.filter((f) => !lessonFiles.has(f) && f !== 'imsmanifest.xml').sort()
  const items = lessons
    .map((l) => `      <item identifier="${scormId('ITEM', l.slug)}" identifierref="${scormId('RES', l.slug)}" isvisible="true">
        <title>${xml(l.title)}</title>
      </item>`)
    .join('\n')
  const resources = lessons
    .map((l) => `    <resource identifier="${scormId('RES', l.slug)}" type="webcontent" adlcp:scormtype="sco" href="${xml(lessonFile(l.slug))}">
      <file href="${xml(lessonFile(l.slug))}"/>
      <dependency identifierref="RES-shared"/>
    </resource>`)
    .join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${scormId('MANIFEST', `banso-${course.slug}-${course.version}`)}" version="${xml(course.version)}"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="ORG-banso">
    <organization identifier="ORG-banso">
      <title>${xml(course.title)}</title>
${items}
    </organization>
  </organizations>
  <resources>
${resources}
    <resource identifier="RES-shared" type="webcontent" adlcp:scormtype="asset">
${shared.map((f) => `      <file href="${xml(f)}"/>`).join('\n')}
    </resource>
  </resources>
</manifest>
`
}
