// Passwords too common to allow: zxcvbn-ts's list of ~49,000 leaked passwords, plus Vietnamese
// ones that lists built from English-language leaks miss.
import { dictionary } from '@zxcvbn-ts/language-common'

const VIETNAMESE = [
  'matkhau', 'matkhau123', 'matkhaumoi', 'anhyeuem', 'anhyeuem123', 'emyeuanh', 'yeuem', 'yeuanh',
  'yeuemnhieu', 'vietnam', 'vietnam123', 'vietnam1', 'hanoi', 'hanoi123', 'saigon', 'saigon123',
  'laocai', 'laocai123', 'yenbai', 'yenbai123', 'sapa', 'sapa123', 'bacha', 'bacha123',
  'nguyen', 'nguyen123', 'tranthi', 'nguyenvan', 'nguyenthi', 'conyeu', 'hoilamgi', 'khongbiet',
  'tinhyeu', 'tinhyeu123', 'thanhcong', 'chienthang', 'hanhphuc', 'giadinh', 'quehuong',
  'banso', 'banso123', 'bansoLMS', 'dangnhap', 'dangnhap123', 'taikhoan', 'admin123', 'quantri',
  'quantri123', 'giaovien', 'hocsinh', 'hocsinh123', 'canbo', 'canbo123', 'congchuc', 'ubnd',
  'ubnd123', 'ubndxa', 'motmotmot', '12345678a', 'a12345678', '123456aA@', 'Abc@12345', 'Abc@123456',
  'Aa@123456', 'Aa123456', 'Aa123456@', 'Admin@123', 'Admin@2026', 'Matkhau@123', 'Matkhau123@',
]

const COMMON = new Set([...dictionary['passwords-common'], ...VIETNAMESE].map((p) => p.toLowerCase()))

export function isCommonPassword(password: string): boolean {
  const lower = password.normalize('NFC').toLowerCase()
  if (COMMON.has(lower)) return true
  // One character repeated, or a plain run of digits, is as weak as a listed password.
  return /^(.)\1*$/.test(lower) || /^(0123456789|1234567890|9876543210)+$/.test(lower)
}
